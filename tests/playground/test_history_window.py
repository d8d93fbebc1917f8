"""A conversation is sent within what the endpoint accepts: the oldest turns are left out (said under the
answer, in the stream and the preview), a question too long alone is refused before anything is written, and
only the newest image is sent again."""

import pytest
from django.urls import reverse
from huggingface_hub import InferenceClient
from huggingface_hub.errors import HfHubHTTPError

from endpoints_app.engines import Engine
from endpoints_app.models import Endpoint, Namespace
from playground_app.context_limits import ContextLimit, configured_limit, endpoint_limit
from playground_app.history import Turn
from playground_app.history_window import IMAGE_NOT_SENT_AGAIN, fit_history, longest_fitting
from playground_app.models import Conversation, Message, QueryMode, Role, Upload
from playground_app.parameters import ChatParameters
from playground_app.services.composer import draft_window
from tests.fixtures.team import DEMO_TOKEN
from tests.playground.fixtures import IDEFICS, through_proxy
from tests.playground.sse import events_of, last
from tests.playground.test_multimodal import photo, upload

CONTEXT = 512  # vLLM's --max-model-len on the test endpoint
MAX_NEW_TOKENS = 40


def long_turn(index: int) -> str:
    return f"Turn {index}: " + " ".join(f"remark{index}x{word} about the weather" for word in range(12))


def long_conversation(author, turns: int = 12) -> Conversation:
    """`turns` questions and answers of about a hundred tokens each: several times what fits in 512."""
    conversation = Conversation.objects.create(title="Long", author=author, mode=QueryMode.MESSAGES)
    for index in range(turns * 2):
        role = Role.USER if index % 2 == 0 else Role.ASSISTANT
        Message.objects.create(conversation=conversation, position=index, role=role, content=long_turn(index))
    return conversation


@pytest.fixture
def small_vllm(deploy, proxy) -> Endpoint:
    endpoint = deploy("gemma-small", engine="vllm", container_args=["--max-model-len", str(CONTEXT)])
    return through_proxy(endpoint, proxy)


def ask(client, endpoint: Endpoint, conversation: Conversation | None, text: str, **extra):
    form = {
        "endpoint": endpoint.pk,
        "mode": QueryMode.MESSAGES,
        "text": text,
        "max_new_tokens": str(MAX_NEW_TOKENS),
        **({"conversation": conversation.pk} if conversation else {}),
        **extra,
    }
    return client.post(reverse("playground:answer"), form)


def test_the_whole_conversation_is_more_than_the_endpoint_accepts(small_vllm, team) -> None:
    """What the next test trims is refused as it is: hubsim enforces --max-model-len."""
    conversation = long_conversation(team.operator)
    messages = [{"role": m.role, "content": m.content} for m in conversation.messages.order_by("position")]
    messages.append({"role": "user", "content": "And tomorrow?"})
    client = InferenceClient(base_url=small_vllm.url, api_key=DEMO_TOKEN)
    with pytest.raises(HfHubHTTPError, match=f"maximum context length is {CONTEXT} tokens"):
        client.chat_completion(messages, model=small_vllm.repository, max_tokens=MAX_NEW_TOKENS)


def test_a_long_conversation_is_answered_without_its_oldest_turns(small_vllm, team, otto, proxy) -> None:
    conversation = long_conversation(team.operator)
    events = events_of(ask(otto, small_vllm, conversation, "And tomorrow?"))

    assert last(events, "done")
    (body,) = proxy.bodies("/v1/chat/completions")
    sent = body["messages"]
    left_out = 24 - (len(sent) - 1)
    assert 0 < left_out < 24
    assert sent[0]["role"] == "user" and sent[-1] == {"role": "user", "content": "And tomorrow?"}
    assert [m["content"] for m in sent[:-1]] == [long_turn(i) for i in range(left_out, 24)]
    notice = f"{left_out} earlier messages were not sent: {small_vllm.full_name} accepts 512 tokens."
    assert last(events, "start")["notice"] == notice
    answer = conversation.messages.get(role=Role.ASSISTANT, position=25)
    assert answer.history_notice == notice
    assert notice in otto.get(conversation.get_absolute_url()).content.decode()
    assert notice in otto.get(reverse("playground:export_markdown", args=[conversation.pk])).content.decode()


def test_the_preview_shows_what_would_be_sent(small_vllm, team, otto) -> None:
    conversation = long_conversation(team.operator)
    form = {"endpoint": small_vllm.pk, "conversation": conversation.pk, "text": "And tomorrow?"}
    form["max_new_tokens"] = str(MAX_NEW_TOKENS)
    html = otto.post(reverse("playground:preview"), form).content.decode()

    events = events_of(ask(otto, small_vllm, conversation, "And tomorrow?"))
    notice = last(events, "start")["notice"]
    assert notice and notice in html
    first_sent = int(notice.split()[0])  # turns 0 to first_sent - 1 are left out
    assert long_turn(first_sent) in html and long_turn(first_sent - 1) not in html


def test_a_question_too_long_alone_is_refused_and_nothing_is_written(small_vllm, team, otto, proxy) -> None:
    conversation = long_conversation(team.operator, turns=1)
    text = " ".join(f"paragraph{word} of a very long question" for word in range(200))
    response = ask(otto, small_vllm, conversation, text)

    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith(f"Your message is too long for {small_vllm.full_name}: it accepts 512 tokens")
    assert "lower Max new tokens" in message
    assert conversation.messages.count() == 2
    assert proxy.bodies("/v1/chat/completions") == []


def image_urls(body: dict) -> list[str]:
    return [
        part["image_url"]["url"]
        for message in body["messages"]
        if isinstance(message["content"], list)
        for part in message["content"]
        if part["type"] == "image_url"
    ]


def test_only_the_newest_image_is_sent_again(deploy, team, otto, proxy) -> None:
    endpoint = through_proxy(deploy("idefics-two", IDEFICS), proxy)
    red, blue = (
        Upload.objects.get(pk=upload(otto, photo(colour)).json()["id"]) for colour in ("red", "blue")
    )
    conversation = Conversation.objects.create(title="Two photos", author=team.operator)
    for position, (role, text, image) in enumerate(
        [
            (Role.USER, "What colour is this?", red),
            (Role.ASSISTANT, "It is red.", None),
            (Role.USER, "And this one?", blue),
            (Role.ASSISTANT, "It is blue.", None),
        ]
    ):
        Message.objects.create(
            conversation=conversation, position=position, role=role, content=text, image=image
        )

    events = events_of(ask(otto, endpoint, conversation, "Is it darker than the first?"))

    assert last(events, "done")
    (body,) = proxy.bodies("/v1/chat/completions")
    (sent,) = image_urls(body)
    assert sent.startswith("data:image/jpeg;base64,")
    assert body["messages"][2]["content"][0]["image_url"]["url"] == sent  # the blue one, its turn's
    assert body["messages"][0] == {"role": "user", "content": f"{IMAGE_NOT_SENT_AGAIN}\nWhat colour is this?"}
    assert not last(events, "start")["notice"]


@pytest.mark.parametrize(
    ("engine", "model", "expected"),
    [
        (
            Engine.TGI,
            {"image": {"tgi": {"maxInputLength": 1024, "maxTotalTokens": 2048}}},
            ContextLimit(1024, 2048),
        ),
        (
            Engine.LLAMACPP,
            {"image": {"llamacpp": {"ctxSize": 8192, "nParallel": 4}}},
            ContextLimit(total=2048),
        ),
        (Engine.VLLM, {"image": {"vLLM": {}}, "args": ["--max-model-len=4096"]}, ContextLimit(total=4096)),
        (
            Engine.SGLANG,
            {"image": {"sGLang": {}}, "args": ["--context-length", "8192"]},
            ContextLimit(total=8192),
        ),
        (Engine.VLLM, {"image": {"vLLM": {}}, "args": ["--max-num-seqs", "8"]}, None),
        (Engine.TGI, {"image": {"tgi": {"maxInputLength": "auto"}}}, None),  # not a number: no bound
    ],
)
def test_each_engine_limit_is_read_from_its_settings(engine, model, expected) -> None:
    assert configured_limit(Endpoint(engine=engine, raw={"model": model})) == expected


def test_a_limit_of_input_and_answer_keeps_room_for_the_answer() -> None:
    assert ContextLimit(1024, 2048).input_budget(1500) == 548
    assert ContextLimit(1024, 2048).input_budget(100) == 1024


def test_the_longest_fitting_suffix_is_found_from_any_boundary() -> None:
    for count in range(1, 12):
        for boundary in range(count):
            assert longest_fitting(count, lambda index, boundary=boundary: index >= boundary) == boundary


def test_a_question_that_may_fit_is_sent_when_no_tokenizer_can_count_it(hubsim) -> None:
    # No tokenizer for this repository: only the upper bound (a token per byte) is known. It leaves the older
    # turns out, but it does not refuse a question of 1,000 bytes (about 250 tokens) to an endpoint that
    # accepts 400: the endpoint answers, or says why not.
    limits = {"image": {"tgi": {"maxInputLength": 400, "maxTotalTokens": 800}}}
    endpoint = Endpoint(
        name="no-tokenizer", namespace=Namespace(name="demo"), engine=Engine.TGI,
        repository="team/no-such-model", raw={"model": limits},
    )  # fmt: skip
    question = " ".join(["a short word"] * 83)
    turns = [
        Turn(Role.USER, "An earlier question."),
        Turn(Role.ASSISTANT, "Its answer."),
        Turn(Role.USER, question),
    ]

    window = fit_history(endpoint, DEMO_TOKEN, "", turns, 100, multimodal=False)

    assert window.turns == turns[2:] and window.left_out == 2


def test_a_failed_read_of_the_model_context_is_tried_again(hubsim) -> None:
    # The Hub's refusal (an unknown repository here; offline or a gated model alike) is not kept for the
    # process: the next question asks again.
    endpoint = Endpoint(
        name="x", namespace=Namespace(name="demo"), engine=Engine.TGI, repository="team/no-such-model"
    )
    hubsim.control.reset_requests()
    assert endpoint_limit(endpoint, DEMO_TOKEN) is None
    assert endpoint_limit(endpoint, DEMO_TOKEN) is None
    asked = [entry for entry in hubsim.control.request_log() if entry["path"].endswith("/config.json")]
    assert len(asked) == 2


def test_the_preview_of_an_empty_draft_refuses_nothing(small_vllm, team) -> None:
    # The last question and its long answer are more than the endpoint accepts: sending it again would be
    # refused, but nothing is typed, so the preview shows the conversation without a refusal.
    conversation = Conversation.objects.create(title="Long answer", author=team.operator)
    Message.objects.create(
        conversation=conversation, position=0, role=Role.USER, content="Tell me everything."
    )
    Message.objects.create(
        conversation=conversation,
        position=1,
        role=Role.ASSISTANT,
        content=" ".join(long_turn(i) for i in range(8)),
    )
    parameters = ChatParameters(max_new_tokens=MAX_NEW_TOKENS)

    window = draft_window(small_vllm, conversation, "", None, "", parameters)

    assert len(window.turns) == 2 and not window.notice
    typed = draft_window(small_vllm, conversation, "And more?", None, "", parameters)
    assert [turn.text for turn in typed.turns] == ["And more?"] and typed.left_out == 2
