"""The terminal app: draws what `study` decides and routes keys. The only package importing Textual."""
