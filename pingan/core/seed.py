"""Demo data framework: `manage.py seed_demo` runs every app's registered generator in order.

Generators are deterministic (same --seed, same data) and idempotent (re-running keeps existing data and
adds only what is missing), so `make run` can call seed_demo every time.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建军志强海燕红梅玉兰文博晓东鹏飞俊杰子涵宇轩浩然思远雨婷嘉怡梓萱欣怡晨阳佳琪立新永胜淑珍凤英国庆春生秋菊冬梅"


@dataclass
class SeedContext:
    seed: int
    scale: str  # "small" (make run), "district", "province"
    structure_only: bool
    password: str
    password_hash: str
    stdout: Any = None
    rng: random.Random = field(init=False)
    data: dict[str, Any] = field(default_factory=dict)  # generators share what they made

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def fork(self, name: str) -> random.Random:
        """An independent, deterministic random stream per generator: adding one never shifts another."""
        return random.Random(f"{self.seed}:{name}")

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def name(self, rng: random.Random) -> str:
        given_len = 1 if rng.random() < 0.35 else 2
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(given_len))

    def phone(self, rng: random.Random) -> str:
        return rng.choice(["133", "135", "137", "139", "150", "152", "158", "186", "188"]) + f"{rng.randrange(10**8):08d}"
