"""Plausible household archives for the demo district, benchmarks and tests (reproducible from a seed).

Rows come out in the import file's columns, so the demo and the benchmark exercise the real import.
"""
import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from shuanglian.core.idnumber import check_character

from .importing import COLUMNS

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强春梅海燕玉兰金凤红梅德胜永福"
         "文彬晓东小红小军丽萍国庆宏伟卫东秀珍淑珍桂芳凤英玉珍长林根土水根樟富土根")
EDUCATION = ("小学", "初中", "初中", "高中", "中专", "大专", "本科", "文盲")
OCCUPATION = ("农民", "农民", "农民", "务工", "个体经营", "教师", "村干部", "退休", "学生", "无")
SKILLS = ("", "", "", "泥瓦匠", "木工", "电工", "养殖", "种植柑橘", "驾驶", "厨师", "缝纫", "茶叶加工")
TAGS = ("", "", "", "", "", "", "低保户", "独居老人", "留守儿童", "残疾人家庭", "困难户", "党员户", "五保户")


def _name(rng: random.Random) -> str:
    given = GIVEN[rng.randrange(len(GIVEN))]
    if rng.random() < 0.6:
        given += GIVEN[rng.randrange(len(GIVEN))]
    return SURNAMES[rng.randrange(len(SURNAMES))] + given[:2]


def _id(rng: random.Random, county: str, birth: dt.date, male: bool, used: set[str]) -> str:
    while True:
        seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
        first17 = f"{county}{birth:%Y%m%d}{seq:03d}"
        if first17 not in used:
            used.add(first17)
            return first17 + check_character(first17)


def _birth(rng: random.Random, lo: int, hi: int, today: dt.date) -> dt.date:
    age_days = rng.randrange(lo * 365, hi * 365)
    return today - dt.timedelta(days=age_days)


def household_rows(grid_households: list[tuple[str, int]], *, seed: int, county: str = "330803",
                   today: dt.date | None = None) -> Iterator[list[str]]:
    """Rows for (grid code, number of households) pairs: 1-6 members each, the first the head."""
    rng = random.Random(seed)
    today = today or dt.date(2026, 1, 1)
    used: set[str] = set()
    for grid_code, count in grid_households:
        for n in range(1, count + 1):
            number = f"{n:03d}"
            address = f"{n}号"
            income = str(rng.randrange(8, 120) * 1000)
            tag = TAGS[rng.randrange(len(TAGS))]
            head_male = rng.random() < 0.85
            head_birth = _birth(rng, 25, 85, today)
            surname_name = _name(rng)
            members = [(surname_name, "户主", head_male, head_birth)]
            size = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6))
            if size >= 2:
                members.append((_name(rng), "配偶", not head_male, head_birth + dt.timedelta(days=rng.randrange(-1500, 1500))))
            for _ in range(max(0, size - 2)):
                child_birth = head_birth + dt.timedelta(days=rng.randrange(20 * 365, 35 * 365))
                if child_birth >= today:
                    child_birth = today - dt.timedelta(days=rng.randrange(100, 3000))
                male = rng.random() < 0.5
                members.append((surname_name[0] + _name(rng)[1:], "子" if male else "女", male, child_birth))
            for i, (name, relation, male, birth) in enumerate(members):
                phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if rng.random() < 0.8 else ""
                age = (today - birth).days // 365
                yield [number, grid_code, name, _id(rng, county, birth, male, used), relation, phone,
                       address if i == 0 else "", "汉族", EDUCATION[rng.randrange(len(EDUCATION))],
                       "学生" if age < 18 else OCCUPATION[rng.randrange(len(OCCUPATION))],
                       SKILLS[rng.randrange(len(SKILLS))] if age >= 18 else "",
                       income if i == 0 else "", tag if i == 0 else ""]


HEADER = ["户号", "网格编码", "姓名", "身份证号", "与户主关系", "联系电话", "地址", "民族", "文化程度", "职业",
          "技能特长", "家庭年收入", "标签"]
assert all(h in COLUMNS for h in HEADER)


def write_file(path: Path, grid_households: list[tuple[str, int]], *, seed: int, encoding: str = "utf-8") -> int:
    count = 0
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for row in household_rows(grid_households, seed=seed):
            writer.writerow(row)
            count += 1
    return count
