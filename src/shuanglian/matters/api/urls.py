from django.urls import include, path

urlpatterns = [
    path("", include("shuanglian.matters.api.dispute_urls")),
    path("", include("shuanglian.matters.api.contact_urls")),
]
