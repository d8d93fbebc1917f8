"""One real row of every kind a URL can point at, written straight to the database (no Hugging Face call):
what the access matrix and the CSRF tests fill path parameters with."""

import io
import uuid
from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db.models import Model
from django.utils import timezone
from PIL import Image

from billing.models import Exclusion, Notification, PauseWarning, Policy, PolicyKind
from endpoints_app.models import (
    AuditEntry,
    CatalogModel,
    CatalogRecipe,
    Credential,
    Endpoint,
    HardwareOption,
    Namespace,
    Operation,
)
from endpoints_app.roles import Role
from playground_app.models import Comparison, ComparisonColumn, Conversation, GeneratedImage, Message, Upload
from playground_app.models import Role as MessageRole
from tests.endpoints.mirror_rows import endpoint_row, hardware_option, namespace_with_token
from tests.fixtures.team import make_user, role_group


@dataclass(frozen=True)
class People:
    viewer: User
    operator: User
    admin: User

    def by_role(self, role: str) -> User:
        return getattr(self, role)


@dataclass(frozen=True)
class Rows:
    """The rows, and the people: the operator wrote the conversation, the upload and the image."""

    people: People
    namespace: Namespace
    credential: Credential
    endpoint: Endpoint
    hardware: HardwareOption
    recipe: CatalogRecipe
    operation: Operation
    audit_entry: AuditEntry
    conversation: Conversation
    comparison: Comparison
    upload: Upload
    image: GeneratedImage
    policy: Policy
    exclusion: Exclusion
    notification: Notification
    pause_warning: PauseWarning
    access_attempt: AccessAttempt
    access_log: AccessLog
    access_failure: AccessFailureLog

    def of_model(self, model: type[Model]) -> Model:
        """The row of a model (the admin's URLs take it as object_id)."""
        if model is User:
            return self.people.viewer
        if model is Group:
            return role_group(Role.VIEWER)
        (row,) = (value for value in vars(self).values() if type(value) is model)
        return row

    @property
    def content_type(self) -> ContentType:
        """A model with a page of its own (the admin's "view on site" goes there)."""
        return ContentType.objects.get_for_model(Conversation)


def picture(image_format: str = "PNG", size: tuple[int, int] = (16, 16), mode: str = "RGB") -> bytes:
    """An image file, all black."""
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=image_format)
    return buffer.getvalue()


def make_people(*, staff: bool) -> People:
    """vic, otto and ada; staff ones reach the admin, where their role decides what they see. (Joining the
    admin role makes staff; the flag is set here for everyone either way, as an administrator could.)"""
    people = People(
        viewer=make_user("vic", Role.VIEWER),
        operator=make_user("otto", Role.OPERATOR),
        admin=make_user("ada", Role.ADMIN),
    )
    User.objects.filter(pk__in=[user.pk for user in vars(people).values()]).update(is_staff=staff)
    return People(*(User.objects.get(pk=user.pk) for user in vars(people).values()))


def catalog_recipe() -> CatalogRecipe:
    model = CatalogModel.objects.create(
        repo_id="Qwen/Qwen2.5-0.5B-Instruct",
        name="Qwen2.5-0.5B-Instruct",
        author="Qwen",
        license="Apache 2.0",
        task="text-generation",
        refreshed_at=timezone.now(),
    )
    return CatalogRecipe.objects.create(
        model=model,
        public_id="crispy-samosa-q7k2m9xa",
        accelerator="gpu",
        engine="vllm",
        vendor="aws",
        region="us-east-1",
        instance_type="nvidia-a10g",
        instance_size="x1",
    )


def make_rows(people: People) -> Rows:
    namespace = namespace_with_token("demo")
    endpoint = endpoint_row(namespace, "gemma-001")
    now = timezone.now()
    upload = Upload(author=people.operator, content_type="image/png", width=16, height=16)
    upload.file.save("upload.png", ContentFile(picture()), save=False)
    upload.save()
    image = GeneratedImage(
        author=people.operator,
        endpoint=endpoint,
        endpoint_label=endpoint.full_name,
        batch=uuid.uuid4(),
        prompt="a teal square",
        width=16,
        height=16,
        num_inference_steps=1,
        guidance_scale=1.0,
        seed=7,
    )
    image.original.save("image.png", ContentFile(picture()), save=False)
    image.thumbnail.save("image.webp", ContentFile(picture("WEBP")), save=False)
    image.save()
    conversation = Conversation.objects.create(title="Colours", author=people.operator, endpoint=endpoint)
    Message.objects.create(conversation=conversation, position=0, role=MessageRole.USER, content="Hi")
    comparison = Comparison.objects.create(title="Colours", author=people.operator, prompt="Hi")
    ComparisonColumn.objects.create(
        comparison=comparison,
        letter="A",
        conversation=Conversation.objects.create(title="Colours", author=people.operator, endpoint=endpoint),
        endpoint=endpoint,
        endpoint_label=endpoint.full_name,
    )
    operation = Operation.objects.create(
        kind="pause", state="succeeded", namespace=namespace, endpoint_name=endpoint.name, endpoint=endpoint
    )
    policy = Policy.objects.create(name="Idle GPUs", kind=PolicyKind.IDLE_PAUSE, idle_minutes=30)
    # Someone else's failures from elsewhere: the visitors' own log-ins (which reset the failures of their
    # name and of their address) leave them be.
    attempt = {"user_agent": "test", "ip_address": "203.0.113.5", "username": "mallory", "http_accept": "*/*"}
    return Rows(
        people=people,
        namespace=namespace,
        credential=namespace.credential,
        endpoint=endpoint,
        hardware=hardware_option(namespace),
        recipe=catalog_recipe(),
        operation=operation,
        audit_entry=AuditEntry.objects.create(
            actor=people.operator,
            actor_label="otto",
            action="pause",
            target=endpoint.full_name,
            result="succeeded",
        ),
        conversation=conversation,
        comparison=comparison,
        upload=upload,
        image=image,
        policy=policy,
        exclusion=Exclusion.objects.create(
            endpoint=endpoint, reason="demo", expires_at=now + timedelta(days=1)
        ),
        notification=Notification.objects.create(kind="budget_alert", title="Budget at 50%"),
        pause_warning=PauseWarning.objects.create(
            policy=policy, endpoint=endpoint, reason="no activity", pause_after=now + timedelta(minutes=15)
        ),
        access_attempt=AccessAttempt.objects.create(
            **attempt, path_info="/accounts/login/", get_data="", post_data="", failures_since_start=1
        ),
        access_log=AccessLog.objects.create(**attempt, path_info="/accounts/login/"),
        access_failure=AccessFailureLog.objects.create(**attempt, path_info="/accounts/login/"),
    )
