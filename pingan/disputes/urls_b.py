"""Routes of the mediator and organisation registers, screening campaigns, subsidies and 例会 (part B),
included by urls.py."""
urlpatterns = []
