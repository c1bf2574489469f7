"""Demo step: the seed's grid teams. One promoter in each of the 2,556 grids, and 8,506 volunteers, 40.2%
of them from public institutions: 1,421 county officials, 335 doctors and 854 teachers, and 809 other
public staff (township cadres and police), so that 3,419 / 8,506 rounds to 0.402. The rest are village
cadres, notable villagers, veteran party members and retired cadres. Loaded in bulk through
`services.teams_load` (phones encrypted by the PIIField, one audit event)."""
from shuanglian.demo.builders import teams_training
from shuanglian.demo.figures import GRIDDED
from shuanglian.divisions.models import Division
from shuanglian.teams.choices import Category
from shuanglian.teams.services import teams_load

PROMOTERS = 2556
# category -> (volunteers, from a public institution)
VOLUNTEERS = {
    Category.COUNTY_OFFICIAL: (1421, True),
    Category.DOCTOR: (335, True),
    Category.TEACHER: (854, True),
    Category.TOWNSHIP_CADRE: (539, True),
    Category.POLICE: (270, True),
    Category.VILLAGE_CADRE: (1800, False),
    Category.NOTABLE: (1500, False),
    Category.VETERAN_PARTY_MEMBER: (1000, False),
    Category.RETIRED_CADRE: (600, False),
    Category.OTHER: (187, False),
}
PROMOTER_CATEGORIES = (Category.VILLAGE_REPRESENTATIVE, Category.FIVE_ELDERS, Category.SAFETY_ACTIVIST)
EMPLOYERS = {
    Category.COUNTY_OFFICIAL: ("区委组织部", "区发改局", "区财政局", "区民政局", "区司法局", "区农业局", "区国土局"),
    Category.DOCTOR: ("乡镇卫生院", "区人民医院", "区中医院"),
    Category.TEACHER: ("中心小学", "初级中学", "区第一中学"),
    Category.TOWNSHIP_CADRE: ("乡镇人民政府",),
    Category.POLICE: ("派出所", "区公安分局"),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邵毛"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红文辉玉兰志新春海林斌燕宁波云峰鹏飞雪梅龙凤荣德生福贵祥宝"
PHONE_PREFIXES = ("133", "135", "137", "138", "139", "153", "158", "159", "180", "188", "189")


def posts_for(grids, rng, *, volunteers=VOLUNTEERS, promoters=True) -> list[dict]:
    """One promoter per grid (if `promoters`) and the volunteers spread over the grids, drawn from `rng`."""
    grids = sorted(grids, key=lambda g: g.code)
    phones: set[str] = set()

    def phone():
        while True:
            number = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if number not in phones:
                phones.add(number)
                return number

    def name():
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))

    posts = []
    if promoters:
        for grid in grids:
            posts.append({"grid": grid, "role": "promoter", "name": name(), "phone": phone(),
                          "category": rng.choice(PROMOTER_CATEGORIES)})
    pool = [(category, public) for category, (n, public) in volunteers.items() for _ in range(n)]
    rng.shuffle(pool)
    for i, (category, public) in enumerate(pool):
        grid = grids[i % len(grids)]  # every grid gets ~3.3 volunteers
        employer = rng.choice(EMPLOYERS[category]) if category in EMPLOYERS else ""
        if category == Category.TOWNSHIP_CADRE:
            employer = grid.parent.parent.name if grid.parent_id and grid.parent.parent_id else employer
        posts.append({"grid": grid, "role": "volunteer", "name": name(), "phone": phone(), "category": category,
                      "employer": employer, "from_public_institution": public})
    return posts


def build(ctx):
    grids = list(Division.objects.filter(pk__in=[g.pk for g in ctx.grids.values()])
                 .select_related("parent__parent"))
    posts = posts_for(grids, ctx.rng)
    counts = teams_load(actor=None, posts=posts, started_on=GRIDDED)
    ctx.data["teams.counts"] = counts
    public = sum(n for n, p in VOLUNTEERS.values() if p)
    ctx.log(f"  {counts['promoters']:,} promoters, {counts['volunteers']:,} volunteers "
            f"({public:,} from public institutions)")
    teams_training.build(ctx)
