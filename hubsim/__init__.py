"""hubsim: a local emulator of the Hugging Face Hub, the Inference Endpoints API and the inference servers.

Run it with ``python -m hubsim`` (see ``hubsim/README.md``); start it from tests with
``hubsim.testing.HubsimServer``.
"""
