"""The Inference Endpoints API (v2).

State and rules in ``backend`` (no HTTP), HTTP in ``responses``, routes in ``urls``.
"""
