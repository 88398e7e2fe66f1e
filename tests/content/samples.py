"""Small valid items of every kind, as YAML text, for tests to copy and break."""

SINGLE = """
questions:
  - id: s-001
    task: "2.1"
    type: single
    tags: [multimodal]
    stem: Which model reads a photo and answers a question about it in text?
    options:
      - text: A multimodal-input model
        correct: true
        why: It takes image and text in and answers in text.
      - text: A text-to-image model
        why: It generates images.
      - text: A speech synthesis model
        why: It makes audio.
      - text: A text-only model
        why: It cannot see the photo.
    explanation: Image and text in, text out.
    refs:
      - title: Amazon Bedrock User Guide
        url: https://docs.aws.amazon.com/bedrock/latest/userguide/what-is-bedrock.html
"""

MULTI = """
questions:
  - id: m-001
    task: "5.1"
    type: multi
    choose: 2
    stem: Which two are the customer's job? (Choose two.)
    options:
      - {text: IAM policies, correct: true, why: Customers manage access.}
      - {text: Data encryption choices, correct: true, why: Customers choose keys.}
      - {text: Data centre power, why: AWS runs the facilities.}
      - {text: Hypervisor patching, why: AWS patches the host.}
      - {text: Physical network, why: AWS owns the network.}
    explanation: Security in the cloud is the customer's part.
"""

ORDERING = """
questions:
  - id: o-001
    task: "1.3"
    type: ordering
    stem: Order the stages.
    items: [Collect data, Train, Evaluate, Deploy]
    explanation: Data comes before training.
"""

MATCHING = """
questions:
  - id: x-001
    task: "1.2"
    type: matching
    stem: Match each need to a service.
    pairs:
      - {prompt: Extract text from scans, response: Amazon Textract}
      - {prompt: Turn text into speech, response: Amazon Polly}
      - {prompt: Detect faces in images, response: Amazon Rekognition}
    distractors: [Amazon Kendra]
    explanation: One service per need.
"""

CASE = """
case_studies:
  - id: cs-001
    task: "3.1"
    scenario: An insurer wants an assistant for claim photos.
    questions:
      - id: cs-001-q1
        type: ordering
        stem: Order the steps.
        items: [Ingest, Embed, Retrieve]
        explanation: Retrieval needs embeddings.
      - id: cs-001-q2
        task: "4.1"
        type: matching
        stem: Match.
        pairs:
          - {prompt: a, response: "1"}
          - {prompt: b, response: "2"}
          - {prompt: c, response: "3"}
        explanation: Simple.
"""

DECK = """
deck: Sample deck
cards:
  - id: fc-nova-reel
    task: "2.2"
    front: Amazon Nova Reel
    back: Generates short video from a text prompt.
    tags: [nova]
"""
