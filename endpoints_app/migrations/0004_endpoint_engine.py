from django.db import migrations, models

from endpoints_app.engines import engine_of_image


def engines_from_raw(apps, schema_editor):
    """Mirrored rows get the engine their last API answer names (`model.image`)."""
    Endpoint = apps.get_model("endpoints_app", "Endpoint")
    for endpoint in Endpoint.objects.only("pk", "raw").iterator():
        engine = engine_of_image((endpoint.raw.get("model") or {}).get("image"))
        Endpoint.objects.filter(pk=endpoint.pk).update(engine=engine)


class Migration(migrations.Migration):
    dependencies = [
        ("endpoints_app", "0003_status_event_price"),
    ]

    operations = [
        migrations.AddField(
            model_name="endpoint",
            name="engine",
            field=models.CharField(
                choices=[
                    ("vllm", "vLLM"),
                    ("sglang", "SGLang"),
                    ("llamacpp", "llama.cpp"),
                    ("tei", "Text Embeddings Inference"),
                    ("tgi", "Text Generation Inference"),
                    ("toolkit", "Inference Toolkit"),
                    ("unknown", "Custom container"),
                ],
                default="toolkit",
                max_length=16,
            ),
        ),
        migrations.RunPython(engines_from_raw, migrations.RunPython.noop),
    ]
