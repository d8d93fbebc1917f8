"""Rows whose every piece of user-provided text is an attack: what people type into the console (labels,
titles, policy names, reasons, prompts) and what the API hands the mirror (tags, environment variables,
secret names, status messages), as the pages read them from the database."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from billing.models import Exclusion, Notification, Policy, PolicyKind
from endpoints_app.models import AuditEntry, Credential, Endpoint, Namespace, Tag
from playground_app.models import Conversation, GeneratedImage, Message
from playground_app.models import Role as MessageRole
from tests.endpoints.mirror_rows import endpoint_row, raw_endpoint
from tests.security.rows import People, picture

# One of each kind, each short enough for the shortest field (a tag: 64 characters).
VECTORS = (
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(2)">click</a>',
    "<svg onload=alert(3)>",
)
PAYLOAD = "".join(VECTORS)  # all at once, where the text may be long


@dataclass(frozen=True)
class Hostile:
    people: People
    endpoint: Endpoint
    credential: Credential
    conversation: Conversation
    image: GeneratedImage
    policy: Policy


def make_hostile_rows(people: People) -> Hostile:
    credentials = [_credential(label) for label in VECTORS]
    namespace = Namespace.objects.create(
        name="demo", credential=credentials[0], last_synced_at=timezone.now()
    )
    endpoint = _endpoint(namespace)
    conversations = [_conversation(people, endpoint, title) for title in VECTORS]
    painter = endpoint_row(
        namespace, "sdxl-001", repository="stabilityai/stable-diffusion-xl-base-1.0", task="text-to-image"
    )
    images = [_image(people, painter, prompt) for prompt in VECTORS]
    policies = [
        Policy.objects.create(name=name, kind=PolicyKind.IDLE_PAUSE, idle_minutes=30) for name in VECTORS
    ]
    for policy in policies:
        policy.tags.set(endpoint.tags.all())
        Notification.objects.create(kind="budget_alert", title=f"{policy.name}: budget at 50%", policy=policy)
    Exclusion.objects.create(endpoint=endpoint, reason=PAYLOAD, expires_at=timezone.now() + timedelta(days=1))
    for label in VECTORS:
        AuditEntry.objects.create(
            actor_label=label, action="add_credential", target=label, result="refused", message=PAYLOAD
        )
    return Hostile(people, endpoint, credentials[0], conversations[0], images[0], policies[0])


def _credential(label: str) -> Credential:
    credential = Credential(label=label, hf_username="demo", reached_namespaces=["demo"])
    credential.set_token("hf_test_token_for_demo")
    credential.save()
    return credential


def _endpoint(namespace: Namespace) -> Endpoint:
    """An endpoint made outside the console, whose API answer carries the payloads."""
    raw = raw_endpoint(
        "gemma-001",
        env={name: name for name in VECTORS},
        secrets=dict.fromkeys(VECTORS, "********"),
        image={"custom": {"url": "ghcr.io/x", "healthRoute": PAYLOAD}},
        args=[PAYLOAD],
    )
    endpoint = endpoint_row(namespace, "gemma-001", status="failed", status_message=PAYLOAD, raw=raw)
    endpoint.tags.set([Tag.objects.create(name=name) for name in VECTORS])
    return endpoint


def _conversation(people: People, endpoint: Endpoint, title: str) -> Conversation:
    conversation = Conversation.objects.create(title=title, author=people.operator, endpoint=endpoint)
    Message.objects.create(conversation=conversation, position=0, role=MessageRole.USER, content=PAYLOAD)
    return conversation


def _image(people: People, endpoint: Endpoint, prompt: str) -> GeneratedImage:
    image = GeneratedImage(
        author=people.operator,
        endpoint=endpoint,
        endpoint_label=endpoint.full_name,
        batch=uuid.uuid4(),
        prompt=prompt,
        negative_prompt=PAYLOAD,
        width=16,
        height=16,
        num_inference_steps=1,
        guidance_scale=1.0,
        seed=7,
    )
    image.original.save("image.png", ContentFile(picture()), save=False)
    image.thumbnail.save("image.webp", ContentFile(picture("WEBP")), save=False)
    image.save()
    return image
