from allauth.account.adapter import DefaultAccountAdapter

from network.services import ensure_member_profile


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            ensure_member_profile(user)
        return user
