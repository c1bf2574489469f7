"""Names and numbers for the demo: village names from syllables, grid names, exact apportioning.

Pure functions of their arguments and the random generator passed in, so the same seed gives the
same district.
"""
import random
from collections.abc import Iterable, Sequence

# Common surnames of 衢州 villages (周家村, 徐家村 ...).
SURNAMES = "周王徐余吴郑毛叶姜祝汪方刘张陈杨李邵何程胡柴廖傅黄蒋鲁詹邱范华童戴江潘"
# Position or quality + landform (上方村, 大坞村, 石门村 ...).
PREFIXES = "上下大小前后东西南北新高石黄白青龙凤金长沙杨中"
LANDFORMS = "方坞源坑山岭畈垄塘溪口田湾岗坪圩埠桥岩湖洲潭庄堰门"
# Plant + landform + place suffix (竹坞口村, 樟潭头村 ...).
PLANTS = "樟桐竹杉松梅桃枫茶柳桂莲芦荷"
SUFFIXES = "头口底里边脚"

_DIGITS = "零一二三四五六七八九"


def village_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return f"{rng.choice(SURNAMES)}家村"
    if roll < 0.75:
        prefix, landform = rng.choice(PREFIXES), rng.choice(LANDFORMS)
        while landform == prefix:
            landform = rng.choice(LANDFORMS)
        return f"{prefix}{landform}村"
    plant, landform, suffix = rng.choice(PLANTS), rng.choice(LANDFORMS), rng.choice(SUFFIXES)
    while suffix == landform:
        suffix = rng.choice(SUFFIXES)
    return f"{plant}{landform}{suffix}村"


def village_names(rng: random.Random, count: int, taken: Iterable[str] = ()) -> list[str]:
    """`count` village names, distinct from each other and from `taken` (names already in the township)."""
    used = set(taken)
    names = []
    while len(names) < count:
        name = village_name(rng)
        if name not in used:
            used.add(name)
            names.append(name)
    return names


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五, 110 -> 一百一十 (1..999)."""
    if not 0 < n < 1000:
        raise ValueError(f"{n} is outside 1..999")
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    text = _DIGITS[hundreds] + "百"
    if rest == 0:
        return text
    if rest < 10:
        return text + "零" + _DIGITS[rest]
    return text + ("一" if rest < 20 else "") + chinese_number(rest)


def grid_name(n: int) -> str:
    return f"第{chinese_number(n)}网格"


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split `total` into whole shares proportional to `weights`, each at least `minimum`, summing exactly
    to `total` (largest remainder; ties go to the earlier share)."""
    n = len(weights)
    rest = total - minimum * n
    if n == 0 or rest < 0 or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError(f"cannot split {total} into {n} shares of at least {minimum}")
    scale = rest / sum(weights)
    quotas = [w * scale for w in weights]
    shares = [int(q) for q in quotas]
    by_remainder = sorted(range(n), key=lambda i: (shares[i] - quotas[i], i))
    for i in by_remainder[: rest - sum(shares)]:
        shares[i] += 1
    return [minimum + s for s in shares]


def spread(rng: random.Random, total: int, count: int, low: int, high: int) -> list[int]:
    """`count` whole numbers in [low, high] adding up to exactly `total`: bell-shaped around the mean
    total / count (clipped to the bounds), then nudged one by one to the exact total."""
    if not low * count <= total <= high * count:
        raise ValueError(f"{total} cannot be split into {count} values of {low}..{high}")
    mean, sigma = total / count, (high - low) / 5
    values = [min(high, max(low, round(rng.gauss(mean, sigma)))) for _ in range(count)]
    gap = total - sum(values)
    step = 1 if gap > 0 else -1
    while gap:
        i = rng.randrange(count)
        if low <= values[i] + step <= high:
            values[i] += step
            gap -= step
    return values
