"""Issue 6's bar for the bundled AIF-C01 bank: size, coverage, v1.1 objectives, and no giveaways."""

from __future__ import annotations

import difflib
import re
from collections import Counter

import pytest

from quizapp.content import bundled_root, load_catalog
from quizapp.content.models import SingleQuestion

WEIGHTS = {"1": 20, "2": 24, "3": 28, "4": 14, "5": 14}
V11_OBJECTIVES = ["obj-1.2.6", "obj-2.1.4", "obj-2.1.5", "obj-2.1.6", "obj-3.2.5", "obj-3.4.5", "obj-5.1.5"]

# The in-scope services of exam guide v1.1, with the short names a card may use.
SERVICES = {
    "AWS Data Exchange": [],
    "Amazon EMR": [],
    "AWS Glue": [],
    "AWS Glue DataBrew": [],
    "AWS Lake Formation": [],
    "Amazon OpenSearch Service": [],
    "Amazon Quick": [],
    "Amazon Redshift": [],
    "AWS Budgets": [],
    "AWS Cost Explorer": [],
    "Amazon EC2": [],
    "AWS Lambda": [],
    "Amazon ECS": [],
    "Amazon EKS": [],
    "Amazon Aurora": [],
    "Amazon DocumentDB": [],
    "Amazon DynamoDB": [],
    "Amazon ElastiCache": [],
    "Amazon Neptune": [],
    "Amazon RDS": [],
    "Kiro": [],
    "Strands Agents": [],
    "Amazon Q": [],
    "Amazon Augmented AI": ["A2I"],
    "Amazon Bedrock": [],
    "Amazon Bedrock AgentCore": [],
    "Amazon Comprehend": [],
    "Amazon Kendra": [],
    "Amazon Lex": [],
    "Amazon Nova": [],
    "Amazon Personalize": [],
    "Amazon Polly": [],
    "Amazon Rekognition": [],
    "Amazon SageMaker AI": [],
    "Amazon SageMaker JumpStart": [],
    "Amazon Textract": [],
    "Amazon Transcribe": [],
    "Amazon Translate": [],
    "AWS Transform": [],
    "AWS CloudTrail": [],
    "Amazon CloudWatch": [],
    "AWS Config": [],
    "AWS Trusted Advisor": [],
    "AWS Well-Architected Tool": [],
    "Amazon CloudFront": [],
    "Amazon VPC": [],
    "AWS Artifact": [],
    "AWS Audit Manager": [],
    "AWS Identity and Access Management": ["IAM"],
    "Amazon Inspector": [],
    "AWS Key Management Service": ["KMS"],
    "Amazon Macie": [],
    "AWS Secrets Manager": [],
    "Amazon S3": [],
    "Amazon S3 Glacier": ["Glacier"],
}

# Section 4 of the exam guide: each key term has a card (front or back mentions it).
KEY_TERMS = [
    "deep learning",
    "neural network",
    "generative AI",
    "agentic",
    "algorithm",
    "inference",
    "batch",
    "real-time",
    "asynchronous",
    "serverless",
    "labeled",
    "unlabeled",
    "structured",
    "unstructured",
    "tabular",
    "time-series",
    "supervised",
    "unsupervised",
    "reinforcement learning",
    "regression",
    "classification",
    "clustering",
    "overfitting",
    "underfitting",
    "variance",
    "exploratory data analysis",
    "feature engineering",
    "hyperparameter",
    "MLOps",
    "drift",
    "accuracy",
    "precision",
    "recall",
    "F1",
    "confusion matrix",
    "ROI",
    "token",
    "context window",
    "chunking",
    "embedding",
    "vector",
    "transformer",
    "foundation model",
    "multimodal",
    "diffusion",
    "provisioned throughput",
    "on-demand",
    "prompt caching",
    "context engineering",
    "tool use",
    "memory",
    "orchestration",
    "multi-agent",
    "Model Context Protocol",
    "temperature",
    "top-p",
    "top-k",
    "stop sequence",
    "in-context learning",
    "RAG",
    "fine-tuning",
    "continued pre-training",
    "distillation",
    "RLHF",
    "instruction tuning",
    "domain adaptation",
    "transfer learning",
    "zero-shot",
    "few-shot",
    "one-shot",
    "chain-of-thought",
    "prompt template",
    "negative prompt",
    "prompt injection",
    "jailbreak",
    "poisoning",
    "hijacking",
    "leakage",
    "ROUGE",
    "BLEU",
    "BERTScore",
    "LLM-as-a-judge",
    "benchmark",
    "human evaluation",
    "task completion rate",
    "user satisfaction",
    "cost per interaction",
    "hallucination",
    "nondeterminism",
    "interpretability",
    "bias",
    "fairness",
    "inclusivity",
    "robustness",
    "safety",
    "veracity",
    "transparency",
    "explainability",
    "sustainability",
    "subgroup analysis",
    "human audit",
    "label quality",
    "intellectual property",
    "Guardrails",
    "Clarify",
    "Model Monitor",
    "Model Cards",
    "shared responsibility",
    "least privilege",
    "encryption",
    "data lineage",
    "catalog",
    "source citation",
    "privacy-enhancing",
    "output filtering",
    "audit",
    "data residency",
    "retention",
    "Generative AI Security Scoping Matrix",
    "grounding",
    "confidence scor",
]


@pytest.fixture(scope="module")
def bank():
    catalog = load_catalog([bundled_root()])
    assert not catalog.problems, "\n".join(map(str, catalog.problems))
    return catalog.primary


def test_size_and_domain_shares(bank):
    total = len(bank.questions)
    assert total >= 500
    shares = Counter(str(bank.domain_of(q)) for q in bank.questions.values())
    for domain, weight in WEIGHTS.items():
        assert abs(100 * shares[domain] / total - weight) <= 2, (domain, shares[domain], total)


def test_every_task_statement_has_25_questions(bank):
    tasks = Counter(q.task for q in bank.questions.values())
    assert set(tasks) == set(bank.blueprint.task_ids())
    assert min(tasks.values()) >= 25, tasks


def test_question_types(bank):
    types = Counter(q.type for q in bank.questions.values())
    assert types["multi"] >= 0.15 * len(bank.questions)
    assert types["ordering"] >= 25 and types["matching"] >= 25
    assert len(bank.case_studies) >= 8
    assert all(len(c.questions) >= 3 for c in bank.case_studies.values())


@pytest.mark.parametrize("objective", V11_OBJECTIVES)
def test_each_v1_1_objective_has_six_questions(bank, objective):
    tagged = [q for q in bank.questions.values() if objective in q.tags]
    assert len(tagged) >= 6, objective
    assert all("v1.1-new" in q.tags for q in tagged)


def test_flashcards_size_and_tasks(bank):
    assert len(bank.flashcards) >= 450
    tasks = Counter(c.task for c in bank.flashcards.values())
    assert min(tasks[t] for t in bank.blueprint.task_ids()) >= 15, tasks


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_in_scope_service_has_a_card(bank, service):
    names = [service, re.sub(r"^(Amazon|AWS) ", "", service), *SERVICES[service]]
    pattern = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in names), re.IGNORECASE)
    assert any(pattern.search(c.front) for c in bank.flashcards.values()), service


def test_every_key_term_has_a_card(bank):
    text = [f"{c.front}\n{c.back}".lower() for c in bank.flashcards.values()]
    missing = [term for term in KEY_TERMS if not any(term.lower() in t for t in text)]
    assert not missing, missing


def test_every_question_explains_itself(bank):
    for q in bank.questions.values():
        assert q.explanation.strip() and q.refs, q.id
        for option in getattr(q, "options", []):
            assert option.why.strip(), (q.id, option.text)


def test_no_giveaways_in_option_length_or_wording(bank):
    singles = [q for q in bank.questions.values() if isinstance(q, SingleQuestion)]
    longest = sum(
        1
        for q in singles
        if len(next(o.text for o in q.options if o.correct)) >= max(len(o.text) for o in q.options)
    )
    assert longest <= 0.35 * len(singles), f"correct option is the longest in {longest}/{len(singles)}"
    banned = re.compile(r"\b(all|none) of the above\b", re.IGNORECASE)
    for q in bank.questions.values():
        texts = [o.text for o in getattr(q, "options", [])] + list(getattr(q, "items", []))
        assert not any(banned.search(t) for t in texts), q.id


def _ratio(matches: int, total: int) -> float:
    """difflib's own formula (`SequenceMatcher._calculate_ratio`), so a bound compares like for like."""
    return 2.0 * matches / total if total else 1.0


def _lcs_length(masks: dict[str, int], length: int, other: str) -> int:
    """The longest common subsequence of a stem (its characters' positions as bit masks) and `other`.

    Bit-parallel (Hyyrö 2004): one pass over `other` with integer operations on `length`-bit words,
    about 50 times cheaper than `SequenceMatcher.ratio()` on two stems. difflib's matching blocks are
    in order in both strings and do not overlap, so they form a common subsequence: its `ratio()` is
    never above `_ratio(lcs, total)`, and a pair under 0.85 by this bound is under 0.85 by `ratio()`.
    """
    full = (1 << length) - 1
    v = full
    for char in other:
        u = v & masks.get(char, 0)
        v = ((v + u) | (v - u)) & full
    return length - v.bit_count()


def test_no_two_stems_are_more_than_85_percent_alike(bank):
    """Every pair's `SequenceMatcher.ratio()` is at most 0.85. The ratio is worked out only for
    pairs that three cheaper upper bounds (difflib's two quick ratios, then the longest common
    subsequence) cannot clear; those bounds skip no pair whose ratio is above 0.85."""
    stems = [(q.id, " ".join(q.stem.split())) for q in bank.questions.values()]
    alike = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    for i, (id_a, a) in enumerate(stems):
        matcher.set_seq2(a)
        masks: dict[str, int] = {}
        for position, char in enumerate(a):
            masks[char] = masks.get(char, 0) | (1 << position)
        for id_b, b in stems[i + 1 :]:
            matcher.set_seq1(b)
            if (
                matcher.real_quick_ratio() > 0.85
                and matcher.quick_ratio() > 0.85
                and _ratio(_lcs_length(masks, len(a), b), len(a) + len(b)) > 0.85
                and matcher.ratio() > 0.85
            ):
                alike.append((id_a, id_b))
    assert not alike, alike
