import base64

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, actions, keys, session_keys
from .forms import EditStaffForm, LoginForm, NewStaffForm, PasswordChangeForm, RecoveryCodeForm, TokenForm
from .models import RecoveryRequest, User


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, secret = actions.check_password_and_unlock(form.cleaned_data["username"],
                                                             form.cleaned_data["password"])
        except actions.LoginFailed:
            form.add_error(None, _("Wrong username or password, or the account is locked for a while."))
        else:
            cookie = session_keys.begin(request, user, secret)
            target = "accounts:two_factor" if actions.has_second_factor(user) else "accounts:enrol"
            response = redirect(reverse(target))
            session_keys.set_unlock_cookie(response, cookie)
            return response
    return render(request, "accounts/login.html", {"form": form})


def two_factor(request):
    if not actions.has_second_factor(request.user):
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = actions.check_second_factor(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            request.session.cycle_key()  # a fixed session key must not survive the second factor
            return redirect("staff_home")
        if request.user.is_locked:
            response = redirect("accounts:login")
            session_keys.end(request, response)
            return response
        form.add_error("token", _("That code is not valid. Check the time on your phone and try again."))
        form.data = {}  # an empty box for the next try, not the wrong code
    return render(request, "accounts/two_factor.html", {"form": form})


def enrol(request):
    if actions.has_second_factor(request.user):
        return redirect("accounts:two_factor")
    device = actions.pending_totp(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = actions.confirm_totp(request.user, form.cleaned_data["token"])
        if codes is not None:
            django_otp.login(request, actions.confirmed_totp(request.user))
            request.session.cycle_key()
            return render(request, "accounts/backup_codes.html", {"codes": codes})
        form.add_error("token", _("That code is not valid. Check the time on your phone and try again."))
        form.data = {}  # an empty box for the next try, not the wrong code
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#111"),
        "otpauth": device.config_url,
    }
    return render(request, "accounts/enrol.html", context)


@require_POST
def logout_view(request):
    actions.record_logout(request.user)
    response = redirect("accounts:login")
    session_keys.end(request, response)
    messages.info(request, _("You are signed out."))
    return response


def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_password(request.user, request.vault_secret, form.cleaned_data["old_password"],
                                    form.cleaned_data["new_password"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed."))
            return redirect("staff_home")
    return render(request, "accounts/password.html", {"form": form})


def _staff_or_404(request, uuid):
    return get_object_or_404(User, uuid=uuid, organisation_id=request.user.organisation_id)


def staff_list(request):
    if not access.can_manage_staff(request.user):
        raise PermissionDenied
    users = User.objects.filter(organisation_id=request.user.organisation_id).prefetch_related("roles")
    page = Paginator(users.select_related("keyring").order_by("username"), 50).get_page(request.GET.get("page"))
    rows = [(m, *keys.key_status(m)) for m in page.object_list]
    return render(request, "accounts/staff_list.html", {"page": page, "rows": rows,
                                                        "refused": any(not ok for _m, fp, ok in rows if fp)})


def my_key(request):
    """A member's own key fingerprint, to compare with what an admin or a colleague sees."""
    fingerprint, certified = keys.key_status(request.user)
    return render(request, "accounts/my_key.html", {"fingerprint": fingerprint, "certified": certified})


def staff_new(request):
    if not access.can_manage_staff(request.user):
        raise PermissionDenied
    form = NewStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = actions.temporary_password()
        try:
            user = actions.create_staff(request.user, form.cleaned_data["username"],
                                        form.cleaned_data["display_name"], form.cleaned_data["roles"], password)
        except ValidationError as exc:
            form.add_error("username", exc)
        else:
            return render(request, "accounts/staff_created.html", {"member": user, "password": password})
    return render(request, "accounts/staff_form.html", {"form": form, "title": _("New staff member")})


def staff_edit(request, uuid):
    if not access.can_manage_staff(request.user):
        raise PermissionDenied
    member = _staff_or_404(request, uuid)
    initial = {"display_name": member.display_name, "roles": sorted(member.role_codes),
               "is_active": member.is_active}
    form = EditStaffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_staff(request.user, member, form.cleaned_data["display_name"],
                                 form.cleaned_data["roles"], form.cleaned_data["is_active"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html",
                  {"form": form, "member": member, "title": _("Edit %(name)s") % {"name": member}})


@require_POST
def staff_unlock(request, uuid):
    if not access.can_manage_staff(request.user):
        raise PermissionDenied
    actions.clear_lockout(request.user, _staff_or_404(request, uuid))
    messages.success(request, _("The account is unlocked."))
    return redirect("accounts:staff_list")


def recovery_list(request):
    if not access.can_use_recovery(request.user):
        raise PermissionDenied
    staff = User.objects.filter(organisation_id=request.user.organisation_id, is_active=True).exclude(
        pk=request.user.pk).order_by("username")
    pending = RecoveryRequest.objects.filter(organisation_id=request.user.organisation_id,
                                             completed_at__isnull=True).select_related("target", "started_by")
    return render(request, "accounts/recovery_list.html", {"staff": staff, "pending": pending})


@require_POST
def recovery_start(request, uuid):
    target = _staff_or_404(request, uuid)
    if not access.can_recover_staff(request.user, target):
        raise PermissionDenied
    actions.start_recovery(request.user, target)
    messages.success(request, _("Recovery started. A second coordinator must now enter the recovery code."))
    return redirect("accounts:recovery_list")


def recovery_complete(request, pk):
    req = get_object_or_404(RecoveryRequest, pk=pk, organisation_id=request.user.organisation_id,
                            completed_at__isnull=True)
    if not access.can_complete_recovery(request.user, req):
        raise PermissionDenied(_("A different coordinator must complete this recovery."))
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.complete_recovery(request.user, req, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            return render(request, "accounts/recovery_done.html", {"req": req, "result": result})
    return render(request, "accounts/recovery_complete.html", {"req": req, "form": form})
