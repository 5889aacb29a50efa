from django.urls import path

from library import views

app_name = "library"

urlpatterns = [
    path("", views.library_home, name="home"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/download/", views.document_download, name="document_download"),
    path("<int:pk>/versions/<int:number>/download/", views.version_download, name="version_download"),
    path("<int:pk>/preview.png", views.document_preview, name="document_preview"),
]
