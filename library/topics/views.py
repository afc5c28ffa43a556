"""Topic tags on the bilag page (confirm, reject, add by hand) and the admins' review queue."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from library.models import Passage, PassageTopic, Topic
from library.topics import selectors
from library.topics.services import TAG_STATES, tag_add, tag_decide

REVIEW_PAGE_SIZE = 50


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


@require_POST
@permission_required("library.review_passagetopic", raise_exception=True)
def tag_decide_view(request: HttpRequest, tag_id: int) -> HttpResponse:
    """Confirm or reject a tag, or put an automatic one back to suggested."""
    try:
        tag = selectors.tag_get(tag_id)
    except PassageTopic.DoesNotExist as exc:
        raise Http404(_("No topic tag %(id)s.") % {"id": tag_id}) from exc
    state = request.POST.get("state", "")
    fallback = tag.passage.get_absolute_url()
    if state not in TAG_STATES:
        messages.error(request, _("Choose confirm or reject."))
        return _back(request, fallback)
    try:
        tag_decide(tag=tag, state=state, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, fallback)


@require_POST
@permission_required("library.add_passagetopic", raise_exception=True)
def tag_add_view(request: HttpRequest, number: int, ordinal: int) -> HttpResponse:
    """Tag a passage with a topic by hand."""
    try:
        passage = selectors.passage_get(number, ordinal)
    except Passage.DoesNotExist as exc:
        raise Http404(
            _("No passage %(ordinal)s in bilag %(number)s.")
            % {"number": number, "ordinal": ordinal}
        ) from exc
    fallback = passage.get_absolute_url()
    try:
        topic = selectors.topic_get(request.POST.get("topic", ""))
    except (ValueError, Topic.DoesNotExist):
        messages.error(request, _("Choose a topic to add."))
        return _back(request, fallback)
    try:
        tag_add(passage=passage, topic=topic, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, fallback)


@permission_required("library.change_topic", raise_exception=True)
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    """Suggested tags waiting for a decision, per topic."""
    topics = selectors.topics_with_waiting()
    slug = request.GET.get("topic", "")
    topic = None
    page = None
    if slug:
        topic = next((t for t in topics if t.slug == slug), None)
        if topic is None:
            raise Http404(_("No topic '%(slug)s'.") % {"slug": slug})
        waiting = selectors.review_queue(topic)
        page = Paginator(waiting, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/topic_review.html",
        {
            "topics": topics,
            "topic": topic,
            "page": page,
            "query": f"topic={slug}" if slug else "",
            "here": request.get_full_path(),
            "review_url": reverse("library:topic_review"),
        },
    )
