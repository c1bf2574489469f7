"""What matters link to, registered with matters.links (imported by OutreachConfig.ready)."""
from shuanglian.matters import links

from .selectors import contact_day_list_visible_to, next_county_contact_day, visit_list_visible_to

links.register(links.Links(contact_days_visible_to=contact_day_list_visible_to,
                           visits_visible_to=visit_list_visible_to,
                           next_county_contact_day=next_county_contact_day))
