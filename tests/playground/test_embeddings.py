"""The embeddings panel of a TEI endpoint on hubsim: the sentences go to /embed in one request, and the page
shows their cosine similarities, computed in the console, as a matrix a reader can check."""

import math

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from huggingface_hub import InferenceClient

from tests.fixtures.team import DEMO_TOKEN
from tests.playground.fixtures import BGE, GEMMA, through_proxy
from tests.playground.snippet_runs import run_snippet

BREAD = "How do I bake bread at home?"
DOUGH = "Kneading the dough and letting it rise"
JUPITER = "Jupiter is the largest planet"
SATURN = "Saturn's rings are made of ice and rock"
SENTENCES = [BREAD, DOUGH, JUPITER, SATURN]


def compare(client: Client, endpoint, sentences: list[str] | str = SENTENCES):
    text = sentences if isinstance(sentences, str) else "\n".join(sentences)
    return client.post(reverse("playground:compare_embeddings"), {"endpoint": endpoint.pk, "sentences": text})


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / (math.hypot(*a) * math.hypot(*b))


@pytest.fixture
def tei(deploy):
    endpoint = deploy("bge-panel", BGE, engine="tei")
    assert endpoint.engine == "tei"
    return endpoint


def test_the_sentences_go_to_embed_in_one_request(tei, otto, proxy) -> None:
    through_proxy(tei, proxy)
    form = {"endpoint": tei.pk, "sentences": "\n".join(SENTENCES), "url": "http://169.254.169.254/latest"}
    page = otto.post(reverse("playground:compare_embeddings"), form)
    assert page.context["result"] is not None
    assert proxy.routes() == ["POST /embed"]  # at the mirrored URL only, whatever the browser sends
    assert proxy.bodies() == [{"inputs": SENTENCES}]
    assert proxy.requests[0]["headers"]["Authorization"] == f"Bearer {DEMO_TOKEN}"
    assert DEMO_TOKEN not in page.content.decode()


def test_related_sentences_are_more_similar_than_unrelated_ones(tei, otto) -> None:
    result = compare(otto, tei).context["result"]
    matrix = result.matrix
    assert [round(matrix[index][index], 6) for index in range(4)] == [1.0, 1.0, 1.0, 1.0]
    bread_dough, planets = matrix[0][1], matrix[2][3]
    across = [matrix[0][2], matrix[0][3], matrix[1][2], matrix[1][3]]
    assert min(bread_dough, planets) > max(across)
    assert all(matrix[row][column] == matrix[column][row] for row in range(4) for column in range(4))


def test_the_matrix_is_the_cosine_of_the_embeddings_the_endpoint_gives(tei, otto) -> None:
    """Checked against vectors asked for separately, with the real client's feature_extraction."""
    client = InferenceClient(model=tei.url, token=DEMO_TOKEN)
    vectors = [client.feature_extraction(sentence).tolist()[0] for sentence in SENTENCES]
    page = compare(otto, tei)
    expected = [[cosine(a, b) for b in vectors] for a in vectors]
    for row, expected_row in zip(page.context["result"].matrix, expected, strict=True):
        assert row == pytest.approx(expected_row, abs=1e-6)
    html = page.content.decode()
    for row in expected:
        for value in row:
            assert f'">{value:.3f}</td>' in html


def test_the_page_shows_the_sentences_escaped(tei, otto) -> None:
    html = compare(otto, tei, [BREAD, "<script>alert(1)</script> & more"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<script>alert(1)" not in html


def test_a_single_sentence_is_refused_and_kept(tei, otto, hubsim) -> None:
    page = compare(otto, tei, "  Only one sentence here.  \n\n")
    assert "Write 2 to 8 sentences, one per line." in page.content.decode()
    assert "Only one sentence here." in page.content.decode()
    assert hubsim.control.request_counts()["by_endpoint"].get("demo/bge-panel") is None


def test_a_chat_endpoint_is_not_offered(deploy, otto) -> None:
    chat = deploy("gemma-not-tei", GEMMA)
    page = compare(otto, chat)
    assert list(page.context["form"].errors) == ["endpoint"]


def test_a_paused_endpoint_is_explained(deploy, otto) -> None:
    paused = deploy("bge-paused", BGE, state="paused", engine="tei")
    assert "demo/bge-paused is paused." in compare(otto, paused).content.decode()


def test_a_scaled_to_zero_endpoint_is_woken_and_answers(deploy, otto, settings) -> None:
    settings.PLAYGROUND_WAKE_RETRY_SECONDS = 0.05
    asleep = deploy("bge-asleep", BGE, state="scaledToZero", engine="tei")
    assert compare(otto, asleep).context["result"] is not None


def test_the_panel_counts_as_activity(tei, otto) -> None:
    compare(otto, tei)
    tei.refresh_from_db()
    assert tei.last_activity_at is not None


def test_someone_without_the_playground_is_refused(tei) -> None:
    nobody = Client()
    nobody.force_login(User.objects.create_user("nemo", password="a-test-password-1"))
    assert compare(nobody, tei).status_code == 403


def test_sends_are_rate_limited_and_keep_the_form(tei, otto, settings, redis_client) -> None:
    settings.RATE_LIMIT_PLAYGROUND_PER_MINUTE = 0
    redis_client.flushdb()
    html = compare(otto, tei).content.decode()
    assert "Too many playground requests in a minute" in html and BREAD in html


def test_open_in_playground_of_a_tei_endpoint_opens_its_panel(tei, otto) -> None:
    answer = otto.get(f"{reverse('playground:chat')}?endpoint={tei.pk}")
    assert answer.url == f"{reverse('playground:embeddings')}?endpoint={tei.pk}"
    page = otto.get(answer.url)
    assert page.context["form"]["endpoint"].initial == tei.pk


def test_the_copied_code_prints_the_same_matrix(tei, otto, tmp_path) -> None:
    page = compare(otto, tei)
    (python,) = [snippet.code for snippet in page.context["snippets"] if snippet.language == "python"]
    run = run_snippet(python, tmp_path)
    assert run.returncode == 0, run.stderr
    first_row = page.context["result"].matrix[0]
    printed = run.stdout.replace("[", " ").replace("]", " ").split()
    assert [float(value) for value in printed[:4]] == pytest.approx(first_row, abs=1e-3)
