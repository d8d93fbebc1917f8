"""Team sharing: everyone sees every conversation with its author; only the author writes in it, others
continue a copy; the author pins and renames; the author or an admin deletes; the history is searchable."""

from django.urls import reverse

from playground_app.models import Conversation, Message, QueryMode, Role
from tests.playground.fixtures import client_of
from tests.playground.sse import events_of


def conversation_of(user, title: str = "Poems about open source") -> Conversation:
    conversation = Conversation.objects.create(title=title, author=user, mode=QueryMode.MESSAGES)
    Message.objects.create(conversation=conversation, position=0, role=Role.USER, content="Write a poem.")
    Message.objects.create(
        conversation=conversation, position=1, role=Role.ASSISTANT, content="Code is free."
    )
    return conversation


def test_every_member_opens_a_conversation_by_its_permalink_with_its_author(team) -> None:
    conversation = conversation_of(team.operator)
    page = client_of(team.viewer).get(f"/playground/c/{conversation.pk}/").content.decode()
    assert "Poems about open source" in page and "by otto" in page
    assert "Continue a copy" in page
    assert 'id="composer"' not in page  # no writing in someone else's conversation


def test_only_the_author_writes_in_a_conversation(deploy, team) -> None:
    endpoint = deploy("gemma-shared")
    conversation = conversation_of(team.operator)
    form = {
        "endpoint": endpoint.pk,
        "mode": QueryMode.MESSAGES,
        "text": "More!",
        "conversation": conversation.pk,
    }
    response = client_of(team.viewer).post(reverse("playground:answer"), form)
    assert response.status_code == 403
    assert conversation.messages.count() == 2


def test_continuing_a_copy_gives_the_member_their_own_conversation(deploy, team) -> None:
    endpoint = deploy("gemma-copy")
    original = conversation_of(team.operator)
    vic = client_of(team.viewer)
    response = vic.post(reverse("playground:copy", args=[original.pk]))
    copy = Conversation.objects.get(author=team.viewer)
    assert response["Location"] == copy.get_absolute_url()
    assert [m.content for m in copy.messages.all()] == ["Write a poem.", "Code is free."]
    form = {
        "endpoint": endpoint.pk,
        "mode": QueryMode.MESSAGES,
        "text": "Another one.",
        "conversation": copy.pk,
    }
    assert [name for name, _ in events_of(vic.post(reverse("playground:answer"), form))][-1] == "done"
    assert original.messages.count() == 2 and copy.messages.count() == 4


def test_the_author_pins_and_renames(team) -> None:
    conversation = conversation_of(team.operator)
    otto = client_of(team.operator)
    otto.post(reverse("playground:pin", args=[conversation.pk]), {"pinned": "1"})
    otto.post(reverse("playground:rename", args=[conversation.pk]), {"title": "Open source poems"})
    conversation.refresh_from_db()
    assert (conversation.pinned, conversation.title) == (True, "Open source poems")
    assert (
        client_of(team.viewer)
        .post(reverse("playground:rename", args=[conversation.pk]), {"title": "x"})
        .status_code
        == 403
    )


def test_the_author_or_an_admin_deletes_but_not_another_member(team) -> None:
    mine, other = conversation_of(team.operator, "Mine"), conversation_of(team.operator, "Other")
    assert client_of(team.viewer).post(reverse("playground:delete", args=[mine.pk])).status_code == 403
    client_of(team.operator).post(reverse("playground:delete", args=[mine.pk]))
    client_of(team.admin).post(reverse("playground:delete", args=[other.pk]))
    assert not Conversation.objects.exists()


def test_pinned_conversations_come_first_and_the_history_searches_titles_and_messages(team) -> None:
    conversation_of(team.operator, "Gardening tips")
    pinned = conversation_of(team.admin, "Release notes")
    Conversation.objects.filter(pk=pinned.pk).update(pinned=True)
    vic = client_of(team.viewer)
    assert [c.title for c in vic.get(reverse("playground:history")).context["history"]] == [
        "Release notes",
        "Gardening tips",
    ]
    found = vic.get(reverse("playground:history"), {"q": "garden"}).context["history"]
    assert [c.title for c in found] == ["Gardening tips"]
    assert len(vic.get(reverse("playground:history"), {"q": "code is free"}).context["history"]) == 2


def test_regenerate_replaces_the_last_answer_and_edit_replaces_what_followed(deploy, team) -> None:
    endpoint = deploy("gemma-edit")
    otto = client_of(team.operator)
    conversation = conversation_of(team.operator)
    base = {
        "endpoint": endpoint.pk,
        "mode": QueryMode.MESSAGES,
        "conversation": conversation.pk,
        "max_new_tokens": "20",
    }
    events_of(otto.post(reverse("playground:answer"), {**base, "action": "regenerate"}))
    contents = [m.content for m in conversation.messages.order_by("position")]
    assert len(contents) == 2 and contents[1] != "Code is free."
    question = conversation.messages.get(position=0)
    events_of(
        otto.post(
            reverse("playground:answer"),
            {**base, "action": "edit", "message": question.pk, "text": "A haiku."},
        )
    )
    assert conversation.messages.get(position=0).content == "A haiku."
    assert conversation.messages.count() == 2


def test_clear_removes_the_messages(team) -> None:
    conversation = conversation_of(team.operator)
    client_of(team.operator).post(reverse("playground:clear", args=[conversation.pk]))
    assert not conversation.messages.exists()


def test_a_conversation_outlives_its_authors_account(team) -> None:
    conversation = conversation_of(team.operator)
    team.operator.delete()
    page = client_of(team.viewer).get(f"/playground/c/{conversation.pk}/").content.decode()
    assert "Poems about open source" in page and "by a former member" in page
    assert Message.objects.filter(conversation=conversation).count() == 2


def test_a_search_is_bounded_and_matches_the_beginnings_of_words(team) -> None:
    conversation_of(team.operator, "Gardening tips")
    vic = client_of(team.viewer)
    long_search = vic.get(reverse("playground:history"), {"q": "gardening " + "x" * 5000})
    assert long_search.status_code == 200
    assert list(long_search.context["history"]) == []  # cut to 200 characters, and searched
    found = vic.get(reverse("playground:history"), {"q": "Garden"}).context["history"]
    assert [c.title for c in found] == ["Gardening tips"]
