"""The post's duty rules as the data layer applies them (values come from config.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

DEFAULT_POST_ROLES = {
    "checkpoint": ("grid_leader", "grid_worker", "liaison", "volunteer", "cadre"),
    "control_point": ("grid_leader", "grid_worker", "liaison", "volunteer", "cadre"),
    "isolation_point": ("medic", "cadre", "grid_worker"),
    "depot": ("grid_worker", "liaison", "volunteer", "cadre"),
    "delivery_point": ("grid_worker", "liaison", "volunteer", "cadre"),
}


@dataclass(frozen=True)
class Rules:
    duty_age_min: int = 18
    duty_age_max: int = 55
    test_valid_hours: int = 48
    shift_hours: tuple[int, ...] = (8, 16, 0)
    min_rest_hours: int = 8
    min_rest_after_night_hours: int = 12
    max_hours_per_24h: int = 12
    max_hours_per_week: int = 60
    night_start: int = 22
    night_end: int = 6
    # After noshow_limit no-shows within noshow_window_days, a person ranks last and the plan avoids them.
    noshow_limit: int = 2
    noshow_window_days: int = 14
    care_tags: tuple[str, ...] = ("独居老人", "残疾", "无人照护儿童", "孕产妇", "慢性病", "困难群众")
    post_roles: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_POST_ROLES))


@dataclass(frozen=True)
class Duty:
    """What the roster rules need to know: the rules and the post's time zone."""

    rules: Rules
    tz: ZoneInfo
