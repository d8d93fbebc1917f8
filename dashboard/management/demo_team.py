"""The demo's team at work: a few people of each role, their playground conversations and images, and the
billing rules an admin sets (a policy tried in dry run, a budget close to its next alert).

Everything goes through the services the pages use: answers are streamed from the fleet's endpoints as the
playground streams them, images are asked of the text-to-image endpoint, policies are saved from their forms.
"""

import json
from decimal import ROUND_UP, Decimal

from asgiref.sync import async_to_sync
from django.contrib.auth.models import Group, User
from django.utils import timezone

from billing import services as billing_services
from billing.costs import month_to_date
from billing.forms import BudgetForm, IdlePauseForm
from endpoints_app.models import Endpoint
from endpoints_app.roles import Role
from endpoints_app.services.actors import Actor
from playground_app.answer_stream import stream_answer
from playground_app.models import Conversation, QueryMode
from playground_app.parameters import ChatParameters, ImageParameters
from playground_app.services.asking import Action, AnswerPlan, Ask, prepare_answer
from playground_app.services.images import generate_images

PEOPLE = (("maya", Role.OPERATOR), ("leo", Role.OPERATOR), ("vic", Role.VIEWER))
CONVERSATIONS = (
    ("maya", "support-chat-vllm", ("How do I reset my password?", "And if I no longer have that e-mail?")),
    ("leo", "support-chat-vllm", ("Summarise our refund policy in two sentences.",)),
    ("maya", "support-chat-vllm", ("Write a haiku about a sleeping server.",)),
)
IMAGES = (
    ("leo", "A lighthouse at dawn, watercolour", 7),
    ("maya", "An isometric office full of plants", 42),
)
ANSWER_TOKENS = 40
BUDGET_SHARE_SPENT = Decimal("0.85")  # the budget's next alert is at 90%
BUDGET_THRESHOLDS = "50, 90, 100"


def seed_people(password: str) -> dict[str, User]:
    """The team besides the admin: two operators and a viewer, with the demo's password."""
    people = {}
    for username, role in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        people[username] = user
    return people


def seed_playground(people: dict[str, User]) -> None:
    for username, endpoint_name, questions in CONVERSATIONS:
        endpoint = Endpoint.objects.get(name=endpoint_name)
        conversation = None
        for question in questions:
            conversation = _ask(people[username], endpoint, conversation, question)
    for username, prompt, seed in IMAGES:
        endpoint = Endpoint.objects.get(name="marketing-sdxl")
        parameters = ImageParameters(prompt=prompt, num_inference_steps=20)
        async_to_sync(generate_images)(people[username], endpoint, parameters, seed, 2)


def _ask(user: User, endpoint: Endpoint, conversation: Conversation | None, question: str) -> Conversation:
    """One question answered as the playground streams it; returns the conversation it went into."""
    ask = Ask(
        action=Action.SEND,
        endpoint=endpoint,
        mode=QueryMode.MESSAGES,
        system_prompt="",
        parameters=ChatParameters(max_new_tokens=ANSWER_TOKENS),
        conversation=conversation,
        text=question,
    )
    return Conversation.objects.get(pk=async_to_sync(_stream)(prepare_answer(user, ask)))


async def _stream(plan: AnswerPlan) -> int:
    """Streams the answer to its end; returns its conversation's id (the `start` event's)."""
    conversation = 0
    async for event in stream_answer(plan):
        name, data = event.decode().split("\n")[:2]
        if name == "event: start":
            conversation = json.loads(data.removeprefix("data: "))["conversation"]
    return conversation


def seed_policies(admin: User) -> None:
    """An idle-pause policy saved disabled, to be tried in dry run first, and a budget 85% spent."""
    spent = sum(month_to_date(list(Endpoint.objects.all()), timezone.now()).values(), Decimal(0))
    budget = max(Decimal(1), (spent / BUDGET_SHARE_SPENT).quantize(Decimal(1), rounding=ROUND_UP))
    forms = (
        IdlePauseForm({"name": "Pause idle GPUs", "idle_minutes": 30}),
        BudgetForm(
            {
                "name": "Team monthly budget",
                "enabled": "on",
                "monthly_budget": str(budget),
                "alert_thresholds": BUDGET_THRESHOLDS,
            }
        ),
    )
    for form in forms:
        if not form.is_valid():
            raise ValueError(f"The demo's policy was refused: {form.errors.as_text()}")
        billing_services.save_policy(Actor(admin, "127.0.0.1"), form)
