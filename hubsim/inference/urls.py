"""Routes of the inference servers, under each endpoint's URL ``/e/{endpoint_id}``: every engine's routes,
each answered by the engine the endpoint's container runs (see routing.py and engines.py)."""

from hubsim.inference import llamacpp, sglang, tei, tgi_server, toolkit, vllm
from hubsim.inference.routing import mount

SERVERS = [tgi_server.SERVER, vllm.SERVER, sglang.SERVER, llamacpp.SERVER, tei.SERVER, toolkit.SERVER]

routes = mount(SERVERS)
