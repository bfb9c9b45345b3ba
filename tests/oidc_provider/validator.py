from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """The standard claims from the user, and the organisation number as a claim of its own."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "organisation": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": user.get_full_name(),
            "email": user.email,
            "organisation": "964947082",
        }
