from django.urls import path

from masthead.publishing import views

app_name = "publishing"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
]
