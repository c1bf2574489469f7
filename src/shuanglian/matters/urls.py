from django.urls import include, path

app_name = "matters"

urlpatterns = [
    path("disputes/", include("shuanglian.matters.dispute_urls")),
    path("contact-days/", include("shuanglian.matters.contact_urls")),
]
