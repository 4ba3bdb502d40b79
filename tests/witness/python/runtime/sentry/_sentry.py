"""Sentry set up the way a deployed service does, without a network: `sentry_sdk.init` with a DSN that points
nowhere, tracing on, its default integrations (StdlibIntegration and ThreadingIntegration among them), and a transport
that drops every envelope. (`dsn=None` was measured to behave the same for what these programs show.)"""
import sentry_sdk
from sentry_sdk.transport import Transport


class DropEverything(Transport):
    def capture_envelope(self, envelope):
        pass


def init():
    sentry_sdk.init(dsn="https://public@127.0.0.1:9/1", traces_sample_rate=1.0, transport=DropEverything)
    return sorted(sentry_sdk.get_client().integrations)
