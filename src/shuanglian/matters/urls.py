from django.urls import path

from . import config_views, views

app_name = "matters"

urlpatterns = [
    path("", views.matter_list, name="list"),
    path("new/", views.MatterCreateView.as_view(), name="new"),
    path("new/category/", views.category_field, name="category_field"),
    path("<int:pk>/", views.MatterView.as_view(), name="detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("supervision/", views.supervision, name="supervision"),
    path("settings/", config_views.TimeLimitsView.as_view(), name="settings"),
    path("settings/limits/<str:level>/<str:type>/<str:stage>/", config_views.TimeLimitEditView.as_view(),
         name="limit_edit"),
    path("settings/categories/", config_views.CategoriesView.as_view(), name="settings_categories"),
    path("settings/calendar/", config_views.CalendarView.as_view(), name="settings_calendar"),
]
