"""hubsim's Endpoints API fuzzed from the OpenAPI description it serves: no request gets a 500.

The cases come from schemathesis' strategies, run by hypothesis directly (schemathesis' own pytest
integration does not support this pytest version).
"""

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.fixtures.team import DEMO_TOKEN

EXAMPLES_PER_OPERATION = 40


def test_generated_requests_never_get_a_server_error(hubsim) -> None:
    schema = schemathesis.openapi.from_url(f"{hubsim.url}/v2/openapi.json")
    schema.config.update(base_url=f"{hubsim.url}/v2")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case) -> None:
            # Most cases use the demo user's namespace so that they get past authorization into validation.
            if case.path_parameters and "namespace" in case.path_parameters and len(str(case.body)) % 4:
                case.path_parameters["namespace"] = "demo"
            response = case.call(headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"

        no_server_error()
