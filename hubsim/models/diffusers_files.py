"""Files of the text-to-image pipeline repository (configurations only: hubsim renders images itself)."""

import json

_PIPELINE_INDEX = {
    "_class_name": "StableDiffusionXLPipeline",
    "_diffusers_version": "0.19.0.dev0",
    "force_zeros_for_empty_prompt": True,
    "add_watermarker": None,
    "scheduler": ["diffusers", "EulerDiscreteScheduler"],
    "text_encoder": ["transformers", "CLIPTextModel"],
    "text_encoder_2": ["transformers", "CLIPTextModelWithProjection"],
    "tokenizer": ["transformers", "CLIPTokenizer"],
    "tokenizer_2": ["transformers", "CLIPTokenizer"],
    "unet": ["diffusers", "UNet2DConditionModel"],
    "vae": ["diffusers", "AutoencoderKL"],
}

_SCHEDULER = {
    "_class_name": "EulerDiscreteScheduler",
    "_diffusers_version": "0.19.0.dev0",
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "interpolation_type": "linear",
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "steps_offset": 1,
    "timestep_spacing": "leading",
    "use_karras_sigmas": False,
}

_UNET = {
    "_class_name": "UNet2DConditionModel",
    "_diffusers_version": "0.19.0.dev0",
    "cross_attention_dim": 2048,
    "in_channels": 4,
    "out_channels": 4,
    "sample_size": 128,
    "block_out_channels": [320, 640, 1280],
}

_VAE = {
    "_class_name": "AutoencoderKL",
    "_diffusers_version": "0.19.0.dev0",
    "latent_channels": 4,
    "sample_size": 1024,
    "scaling_factor": 0.13025,
}


def pipeline_files() -> dict[str, str]:
    documents = {
        "model_index.json": _PIPELINE_INDEX,
        "scheduler/scheduler_config.json": _SCHEDULER,
        "unet/config.json": _UNET,
        "vae/config.json": _VAE,
    }
    return {path: json.dumps(document, indent=2) + "\n" for path, document in documents.items()}
