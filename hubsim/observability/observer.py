"""What hubsim records of each endpoint as things happen: its logs and its traffic."""

from hubsim.endpoints.record import EndpointRecord
from hubsim.observability.logs import LogBook
from hubsim.observability.traffic import ServedRequest, TrafficBook


class Observability:
    """The Endpoints backend's observer (state changes, deletions) and the traffic middleware's sink."""

    def __init__(self) -> None:
        self.logs = LogBook()
        self.traffic = TrafficBook()

    def entered(
        self, record: EndpointRecord, state: str, message: str, at: float, replicas: list[str]
    ) -> None:
        self.logs.entered(record, state, message, at, replicas)

    def deleted(self, record: EndpointRecord) -> None:
        self.logs.forget(record.id)
        self.traffic.forget(record.id)

    def served(self, served: ServedRequest) -> None:
        self.traffic.add(served)
        self.logs.served(served)

    def clear(self) -> None:
        self.logs.clear()
        self.traffic.clear()
