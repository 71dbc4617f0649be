"""The coordinators' page of the queue of posts to the city's channels: what waits for
approval, what went, what failed, with the buttons of each post's moves and a preview as
the channel will show it."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.communications import permissions
from dobry.communications.channels import adapters, selectors, services
from dobry.communications.channels.rendering import render_post
from dobry.communications.models import CHANNEL_POST_WORKFLOW, ChannelPost
from dobry.core.feedback import domain_error_message
from dobry.core.request_values import form_values, paginate


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Статус"),
        required=False,
        choices=[("", gettext_lazy("Любой")), *ChannelPost.Status.choices],
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Канал"),
        required=False,
        choices=[("", gettext_lazy("Любой")), *ChannelPost.Channel.choices],
    )


class MoveForm(forms.Form):
    move = forms.ChoiceField(choices=[(m.name, m.name) for m in CHANNEL_POST_WORKFLOW.moves])


@login_required
def channel_queue(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not permissions.can_manage_channel_posts(user):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    filters = form_values(form)
    page = paginate(request.GET, selectors.channel_posts(**filters), selectors.CHANNEL_POSTS_PAGE)
    for post in page.object_list:
        post.moves = CHANNEL_POST_WORKFLOW.moves_for(user, post, permissions.can_move_channel_post)
        post.preview = render_post(post) if not post.text else None
    channels = [(label, adapters.configured(value)) for value, label in ChannelPost.Channel.choices]
    context = {"page": page, "form": form, "channels": channels}
    return render(request, "communications/channels/queue.html", context)


@login_required
@require_POST
def channel_post_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    post = permissions.get_channel_post_for_user(user, pk)
    move = form_values(MoveForm(request.POST))["move"]
    done = {
        "approve": _("Публикация одобрена и поставлена в очередь."),
        "retry": _("Публикация снова поставлена в очередь."),
        "reject": _("Публикация отклонена."),
    }
    with domain_error_message(request, success=done.get(move, _("Готово."))):
        services.channel_post_move(actor=user, post=post, move=move)
    return redirect("news:channels")
