from django.urls import path

from . import oidc, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    # OpenID Connect (mozilla-django-oidc's URL names, which it reverses itself).
    path("oidc/start/", oidc.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
]
