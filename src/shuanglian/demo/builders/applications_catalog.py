"""The demo's service catalog (办事指南): 35 items a 2010 township service center in 浙江 offered, with the
county department responsible, conditions, materials, steps, legal and promised time limits (working days)
and fees. Written through services.service_item_create (audited, promised <= legal checked).

In 2010 the rural cooperative medical scheme (新农合) was run by the health bureau, birth permits by the
population and family planning bureau, land contracts by the agriculture bureau and disability
certificates by the disabled persons' federation; the demo county lacks the last three, so they are
created here (as departments, so items can be assigned to them).
"""
from __future__ import annotations

from dataclasses import dataclass

from shuanglian.applications import services
from shuanglian.applications.choices import AcceptedAt
from shuanglian.organizations.choices import Function, OrganizationKind
from shuanglian.organizations.models import Organization
from shuanglian.organizations.services import organization_create

ANY, CENTER = AcceptedAt.ANY, AcceptedAt.CENTER
FREE = "免费"
# Departments the catalog needs beyond the demo county's: key -> name.
EXTRA_DEPARTMENTS = {"agriculture": "区农业局", "disabled": "区残疾人联合会", "family_planning": "区人口和计划生育局"}
FUNCTIONS = {"police": Function.PUBLIC_SECURITY, "civil": Function.CIVIL_AFFAIRS, "hr": Function.HUMAN_RESOURCES,
             "land": Function.NATURAL_RESOURCES, "health": Function.HEALTH, "education": Function.EDUCATION,
             "justice": Function.JUSTICE}
ID = "申请人身份证"
HUKOU = "户口簿"
FORM = "申请表（窗口领取或代办员代填）"


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    department: str  # a key of FUNCTIONS or EXTRA_DEPARTMENTS
    legal_days: int
    promised_days: int
    accepted_at: str
    weight: int  # applications of a year, relative (the demo's volume per item)
    materials: tuple[str, ...]
    conditions: str = ""
    fees: str = FREE
    steps: tuple[str, ...] = ("窗口受理", "承办部门审核", "审批办结", "回复申请人")


CATALOG = [
    Entry("HJ-01", "出生登记（新生儿落户）", "police", 5, 1, ANY, 30, ("出生医学证明", "父母户口簿", "父母结婚证", "生育服务证"),
          "新生儿出生一个月内随父或母落户"),
    Entry("HJ-02", "户口迁移（婚迁、投靠）", "police", 20, 7, ANY, 25, (HUKOU, ID, "结婚证或亲属关系证明", "准迁证"),
          "婚迁、夫妻投靠、子女投靠父母"),
    Entry("HJ-03", "死亡注销户口", "police", 5, 1, ANY, 12, ("死亡医学证明或火化证明", HUKOU, "死者身份证")),
    Entry("HJ-04", "居民身份证申领、换领", "police", 60, 30, CENTER, 35, (HUKOU, "旧身份证（换领）", "近期免冠照片（现场采集）"),
          "年满十六周岁的本县户籍居民", "工本费20元；临时身份证10元"),
    Entry("HJ-05", "户籍证明开具", "police", 5, 2, ANY, 15, (HUKOU, ID)),
    Entry("MZ-01", "最低生活保障申请（低保）", "civil", 30, 20, ANY, 30, (FORM, HUKOU, ID, "家庭收入证明", "村委会评议意见"),
          "家庭人均收入低于当地最低生活保障标准的本县户籍居民",
          steps=("窗口受理", "村民代表评议并张榜公示", "乡镇审核、入户调查", "区民政局审批", "回复申请人")),
    Entry("MZ-02", "农村五保供养申请", "civil", 30, 20, ANY, 6, (FORM, HUKOU, ID, "村委会评议意见"),
          "无劳动能力、无生活来源、无法定赡养扶养义务人的老年、残疾或未成年村民",
          steps=("窗口受理", "村民代表评议并张榜公示", "乡镇审核", "区民政局审批", "回复申请人")),
    Entry("MZ-03", "临时救助申请", "civil", 15, 7, ANY, 20, (FORM, ID, "困难原因证明（医疗票据、事故证明等）"),
          "因病、因灾、因意外事故导致基本生活暂时困难的家庭"),
    Entry("MZ-04", "医疗救助申请", "civil", 20, 10, ANY, 18, (FORM, ID, "低保证或五保证", "住院费用结算单、新农合报销单")),
    Entry("MZ-05", "高龄老人生活补贴", "civil", 20, 10, ANY, 10, (ID, HUKOU, "银行存折复印件"), "年满八十周岁的本县户籍老人"),
    Entry("MZ-06", "婚姻登记转介（预约、材料初审）", "civil", 5, 3, ANY, 20, (ID, HUKOU, "近期二寸合影照片3张"),
          "男年满二十二周岁、女年满二十周岁，双方自愿", steps=("窗口受理、材料初审", "预约区婚姻登记处", "告知登记时间")),
    Entry("MZ-07", "惠民殡葬补助申请", "civil", 15, 5, ANY, 10, ("火化证明", HUKOU, "经办人身份证")),
    Entry("MZ-08", "重点优抚对象定期抚恤补助", "civil", 30, 15, CENTER, 3, (FORM, ID, "优抚对象证件")),
    Entry("SB-01", "城乡居民社会养老保险参保登记", "hr", 15, 5, ANY, 60, (ID, HUKOU, "参保登记表"),
          "年满十六周岁、未参加职工养老保险的城乡居民", "个人缴费按所选档次代收，不另收费"),
    Entry("SB-02", "城乡居民养老金领取申请", "hr", 20, 10, ANY, 25, (ID, HUKOU, "近期一寸照片", "银行存折复印件"),
          "年满六十周岁的参保人员"),
    Entry("SB-03", "被征地农民基本生活保障申请", "hr", 30, 20, CENTER, 8, (ID, HUKOU, "征地批文及安置人员名单")),
    Entry("SB-04", "就业失业登记（就业援助卡）", "hr", 5, 2, ANY, 15, (ID, HUKOU, "近期一寸照片")),
    Entry("SB-05", "职业技能培训补贴申请", "hr", 20, 10, ANY, 10, (ID, "培训结业证书", "银行存折复印件")),
    Entry("SB-06", "城镇居民基本医疗保险参保登记", "hr", 10, 5, ANY, 10, (ID, HUKOU), "未参加职工医疗保险的城镇居民",
          "个人缴费按当年标准代收"),
    Entry("YB-01", "新型农村合作医疗参保缴费", "health", 10, 3, ANY, 80, (HUKOU, "参合证（续保）"),
          "本县农业户籍居民，以户为单位参合", "个人缴费按当年标准代收，不另收费"),
    Entry("YB-02", "新型农村合作医疗费用报销", "health", 30, 15, ANY, 70, ("参合证", ID, "医疗费用原始发票", "费用清单、出院小结"),
          "在县外或未联网医院就医的参合人员"),
    Entry("YB-03", "预防接种证办理", "health", 5, 1, CENTER, 12, ("出生医学证明", "父母一方身份证")),
    Entry("JS-01", "生育服务证（第一孩）", "family_planning", 15, 7, ANY, 25, (ID, HUKOU, "结婚证", "近期二寸合影照片")),
    Entry("JS-02", "再生育审批（第二孩）", "family_planning", 30, 20, CENTER, 6, (FORM, ID, HUKOU, "结婚证", "符合再生育条件的证明"),
          "符合《浙江省人口与计划生育条例》再生育条件的夫妻"),
    Entry("JS-03", "农村部分计划生育家庭奖励扶助", "family_planning", 30, 15, ANY, 8, (FORM, ID, "独生子女父母光荣证"),
          "年满六十周岁的农村独生子女父母或两女父母"),
    Entry("JS-04", "流动人口婚育证明", "family_planning", 5, 2, ANY, 12, (ID, "近期一寸照片")),
    Entry("TD-01", "农村村民建房用地审批（农村建房审批）", "land", 30, 20, CENTER, 22,
          (FORM, HUKOU, ID, "村民代表会议决议及公示材料", "宅基地位置图", "原宅基地退还协议（拆旧建新）"),
          "本村户籍、符合一户一宅和村庄规划、人均住房面积低于标准的农户",
          steps=("窗口受理", "村委会公示", "乡镇国土所实地踏勘", "区国土资源局审批", "放样、验线", "回复申请人")),
    Entry("TD-02", "宅基地使用权登记发证", "land", 30, 20, CENTER, 10, (FORM, ID, "建房用地批准书", "竣工验收证明"),
          fees="工本费10元"),
    Entry("NY-01", "土地承包经营权证变更、补发", "agriculture", 30, 15, ANY, 10, (FORM, HUKOU, "原土地承包经营权证", "村委会证明")),
    Entry("NY-02", "土地承包经营权流转合同鉴证", "agriculture", 15, 7, ANY, 12, ("流转合同", "双方身份证", "土地承包经营权证"),
          "依法、自愿、有偿流转，不改变土地农业用途"),
    Entry("NY-03", "种粮大户补贴申请", "agriculture", 20, 10, ANY, 8, (FORM, ID, "种植面积核实表", "银行存折复印件"),
          "种植粮食面积二十亩以上的农户"),
    Entry("NY-04", "农机购置补贴申请", "agriculture", 30, 20, CENTER, 6, (FORM, ID, "购机发票", "农机合格证")),
    Entry("CL-01", "残疾人证办理", "disabled", 30, 20, ANY, 12, (ID, HUKOU, "近期二寸照片3张", "指定医院残疾评定表"),
          steps=("窗口受理", "指定医院评定", "区残联审核发证", "回复申请人")),
    Entry("CL-02", "残疾人生活补助、辅助器具申请", "disabled", 20, 10, ANY, 8, (FORM, "残疾人证", HUKOU)),
    Entry("JY-01", "家庭经济困难学生资助申请", "education", 20, 10, ANY, 10, (FORM, "学生证或在读证明", "低保证或困难证明")),
    Entry("SF-01", "法律援助申请", "justice", 7, 5, ANY, 8, (FORM, ID, "经济困难证明", "案件材料"),
          "经济困难、需要代理或辩护的公民"),
]


def departments(ctx) -> dict[str, object]:
    """Catalog key -> county department: the county's own by function, the extra ones created (or found)."""
    found = {key: ctx.departments.get(function) for key, function in FUNCTIONS.items()}
    missing = {key: str(FUNCTIONS[key].label) for key, org in found.items() if org is None}
    for key, name in {**EXTRA_DEPARTMENTS, **missing}.items():
        org = Organization.objects.filter(division=ctx.county, name=name, kind=OrganizationKind.DEPARTMENT).first()
        found[key] = org or organization_create(actor=None, division=ctx.county, name=name,
                                                kind=OrganizationKind.DEPARTMENT,
                                                function=FUNCTIONS.get(key, Function.GENERAL))
    return found


def build(ctx) -> list:
    """The catalog's items, in CATALOG order; each carries its Entry as `.entry` for the later builders."""
    by_key = departments(ctx)
    items = []
    for e in CATALOG:
        item = services.service_item_create(actor=None, code=e.code, name=e.name, department=by_key[e.department],
                                            legal_days=e.legal_days, promised_days=e.promised_days,
                                            conditions=e.conditions, materials=e.materials, steps=e.steps,
                                            fees=e.fees, accepted_at=e.accepted_at)
        item.entry = e
        items.append(item)
    return items
