"""How long a resident waits between agreeing to be handed over and the adviser being notified,
over 100 scripted cases. A figure it prints, not an assertion."""

from __future__ import annotations

import asyncio
import statistics
import time

from tests.fake_telegram import FakeTelegram
from tests.integration.handoff_helpers import QUICK, ask_for_person, case_of, wait_text
from tests.integration.telegram_helpers import channel_running, new_chat, run


def test_request_to_notification_time_over_100_scripted_cases(core, office, capsys):
    """Prints p50/p99 from the resident's consent (the request is complete) to the adviser's
    notification, and from /human through the scripted intake. A figure, not asserted."""

    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core, QUICK):
            residents = [new_chat() for _ in range(100)]
            started: dict[int, float] = {}
            consented: dict[int, float] = {}

            async def one(resident: int) -> None:
                started[resident] = time.monotonic()
                await ask_for_person(api, resident, office)
                consented[resident] = time.monotonic()
                await wait_text(api, resident, "已为您登记", timeout=240)

            for batch in range(0, 100, 10):  # ten residents at a time
                await asyncio.gather(*(one(r) for r in residents[batch : batch + 10]))
            case_ids = {r: case_of(core, r).id for r in residents}
            for _resident, case_id in case_ids.items():
                await api.wait_for(lambda c=case_id: any(f"新个案 #{c}\n" in m.text for m in api.sent), 120)
            arrival = {r: next(m.at for m in api.sent if f"新个案 #{c}\n" in m.text) for r, c in case_ids.items()}
            from_consent = sorted((arrival[r] - consented[r]) * 1000 for r in residents)
            from_human = sorted((arrival[r] - started[r]) * 1000 for r in residents)
            with capsys.disabled():
                print(
                    f"\nhandoff, 100 scripted cases: consent → adviser notification p50 "
                    f"{statistics.median(from_consent):.0f} ms, p99 {from_consent[98]:.0f} ms; "
                    f"/human → notification (intake scripted) p50 {statistics.median(from_human):.0f} ms, "
                    f"p99 {from_human[98]:.0f} ms"
                )
            assert len(arrival) == 100

    run(scenario)
