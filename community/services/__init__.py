"""Changes to the community, one module per family of verbs.

`from community import services; services.act_on_item(...)` keeps working: the public services
are re-exported here. The modules import each other and never this package, so there is no cycle.
"""

from .alerts import realert_unclaimed_at_risk, send_queue_summary
from .appeals import request_review
from .decisions import act_on_item, actions_for, claim_item, take_over_item
from .duty import go_off_duty, go_on_duty, save_rota
from .errors import AlreadyReported, ModerationError
from .guidelines import save_guidelines
from .reports import (
    fold_report,
    report_post,
    review_new_post,
    sweep_unfolded_reports,
    sweep_unreviewed_posts,
)
from .safety_plans import save_safety_plan
from .sanctions import lift_expired_sanctions, lift_sanction

__all__ = [
    "AlreadyReported",
    "ModerationError",
    "act_on_item",
    "actions_for",
    "claim_item",
    "fold_report",
    "go_off_duty",
    "go_on_duty",
    "lift_expired_sanctions",
    "lift_sanction",
    "realert_unclaimed_at_risk",
    "report_post",
    "request_review",
    "review_new_post",
    "save_guidelines",
    "save_rota",
    "save_safety_plan",
    "send_queue_summary",
    "sweep_unfolded_reports",
    "sweep_unreviewed_posts",
    "take_over_item",
]
from .conversations import check_in, reply_to_conversation, start_conversation

__all__ += ["check_in", "reply_to_conversation", "start_conversation"]

from .bulk import BulkApproval, approve_items  # noqa: E402
from .closing import close_items_for_post, sweep_items_of_gone_posts  # noqa: E402

__all__ += [
    "BulkApproval",
    "approve_items",
    "close_items_for_post",
    "sweep_items_of_gone_posts",
]
from .care import hand_back_claims  # noqa: E402
from .insights import send_weekly_summary  # noqa: E402

__all__ += ["hand_back_claims", "send_weekly_summary"]
from .peer_specialists import (  # noqa: E402
    approve_peer_credential,
    decline_peer_credential,
    remind_and_expire_peer_credentials,
)

__all__ += [
    "approve_peer_credential",
    "decline_peer_credential",
    "remind_and_expire_peer_credentials",
]
from .content_warnings import set_post_warnings  # noqa: E402

__all__ += ["set_post_warnings"]
