import datetime as dt

import pytest

from shuanglian.organizations.choices import OrganizationKind
from shuanglian.organizations.services import organization_create

D = dt.date(2010, 3, 1)


@pytest.fixture
def associations(district):
    """A general association in 樟潭街道 and 上方镇, promotion associations in their villages, and one in 柯城区."""
    def make(division, name, parent=None):
        return organization_create(actor=None, division=division, name=name, kind=OrganizationKind.ASSOCIATION,
                                   parent=parent)

    general = make(district.township, "樟潭街道和谐平安促进总会")
    general2 = make(district.township2, "上方镇和谐平安促进总会")
    return {
        "general": general,
        "general2": general2,
        "village": make(district.village, "樟潭社区和谐平安促进会", general),
        "village2": make(district.village2, "樟树潭村和谐平安促进会", general),
        "village3": make(district.village3, "上方村和谐平安促进会", general2),
        "outside": make(district.outside_village, "府山社区和谐平安促进会"),
    }
