"""The shelter registry (separate from cases): /staff/shelters/."""

app_name = "shelters"
urlpatterns = []
