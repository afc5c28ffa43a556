"""Topic tags on the bilag page (confirm, reject, add by hand) and the admins' review queue.

The review page decides in place (static/js/review.js posts to `tag_decide_view` and
reads its JSON answer); without script its forms post and come back to the next item.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from library import languages
from library.models import Passage, PassageTopic, Topic
from library.topics import selectors
from library.topics.services import TAG_STATES, tag_add, tag_decide, tags_confirm

REVIEW_PAGE_SIZE = 50
SNIPPET_CHARS = 400  # of a passage on the review page, around the first matched word
ANCHOR_RE = re.compile(r"[A-Za-z][\w-]{0,80}")
TAG_ID_RE = re.compile(r"[0-9]{1,18}")  # ASCII digits ("²" is a digit too), within a bigint
WORD_GAP = r"[\W_]+"  # between the words of a matched phrase ("al-Hol" for "al hol")


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Redirect to the form's `next` (a local URL), with the `anchor` it names (the item
    to come back to), or to `fallback`."""
    target = request.POST.get("next", "")
    # A path on this site only: anything else ("x", a view's name) is not a URL to go to.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    anchor = request.POST.get("anchor", "")
    if anchor and "#" not in target and ANCHOR_RE.fullmatch(anchor):
        target = f"{target}#{anchor}"
    return redirect(target)


def _wants_json(request: HttpRequest) -> bool:
    """The review page's script asks for JSON (Accept: application/json)."""
    return "application/json" in request.headers.get("Accept", "")


def _decided(tag: PassageTopic, previous: str) -> JsonResponse:
    """The JSON answer to a decision: the tag's state now and before, and what to say."""
    passage = tag.passage
    where = {"topic": tag.topic.name, "number": passage.bilag.number, "ordinal": passage.ordinal}
    if tag.state == PassageTopic.State.CONFIRMED:
        message = _("Confirmed: %(topic)s in bilag %(number)s, afsnit %(ordinal)s.") % where
    elif tag.state == PassageTopic.State.REJECTED:
        message = _("Rejected: %(topic)s in bilag %(number)s, afsnit %(ordinal)s.") % where
    else:
        message = (
            _("Undone: %(topic)s in bilag %(number)s, afsnit %(ordinal)s is a suggestion again.")
            % where
        )
    return JsonResponse(
        {
            "id": tag.id,
            "state": tag.state,
            "previous": previous,
            "label": capfirst(tag.get_state_display()),
            "message": message,
        }
    )


@require_POST
@permission_required("library.review_passagetopic", raise_exception=True)
def tag_decide_view(request: HttpRequest, tag_id: int) -> HttpResponse:
    """Confirm or reject a tag, or put an automatic one back to suggested (JSON for the
    review page's script, else a redirect to `next`)."""
    try:
        tag = selectors.tag_get(tag_id)
    except PassageTopic.DoesNotExist as exc:
        raise Http404(_("No topic tag %(id)s.") % {"id": tag_id}) from exc
    state = request.POST.get("state", "")
    fallback = tag.passage.get_absolute_url()
    error = None
    if state not in TAG_STATES:
        error = _("Choose confirm or reject.")
    else:
        previous = tag.state
        try:
            decided = tag_decide(tag=tag, state=state, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if _wants_json(request):
        if error:
            return JsonResponse({"error": error}, status=400)
        decided.passage, decided.topic = tag.passage, tag.topic
        return _decided(decided, previous)
    if error:
        messages.error(request, error)
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


@require_POST
@permission_required("library.review_passagetopic", raise_exception=True)
def review_confirm_page(request: HttpRequest) -> HttpResponse:
    """Confirm the tags a review page listed that are still suggested ("Confirm all N on
    this page"), in one transaction; says how many."""
    given = request.POST.get("topic", "")
    try:
        topic = selectors.topic_get(given)
    except (ValueError, Topic.DoesNotExist) as exc:
        raise Http404(_("No topic '%(slug)s'.") % {"slug": given}) from exc
    ids = [int(value) for value in request.POST.getlist("tag") if TAG_ID_RE.fullmatch(value)]
    count = tags_confirm(topic=topic, tag_ids=ids, user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "Confirmed %(count)s suggestion of %(topic)s.",
                "Confirmed %(count)s suggestions of %(topic)s.",
                count,
            )
            % {"count": count, "topic": topic.name},
        )
    else:
        messages.info(request, _("Nothing to confirm: these suggestions were decided already."))
    return _back(request, f"{reverse('library:topic_review')}?topic={topic.slug}")


def _match_spans(text: str, tag: PassageTopic) -> list[tuple[int, int]]:
    """Where in `text` the words of the tag's evidence stand (merged, in order); for a
    tag without evidence, the words of its reason ("entry ← word, word; …")."""
    phrases = [w for item in tag.evidence or () for w in item.get("words", ())]
    if not tag.evidence and tag.origin == PassageTopic.Origin.AUTO:
        for reason in (tag.reason or "").split("; "):
            phrases += reason.rpartition(" ← ")[2].split(", ") if " ← " in reason else []
    spans = []
    for phrase in phrases:
        words = languages.words(phrase)
        if not words:
            continue
        pattern = WORD_GAP.join(re.escape(word) for word in words)
        found = re.finditer(rf"(?<![^\W_]){pattern}(?![^\W_])", text, flags=re.IGNORECASE)
        spans += [match.span() for match in found]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _window(text: str, spans, limit: int) -> tuple[int, int]:
    """A stretch of at most about `limit` characters of `text`, cut at spaces, that
    holds the first matched word."""
    if len(text) <= limit:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, first - limit // 3)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + limit)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def marked_snippet(tag: PassageTopic, limit: int = SNIPPET_CHARS) -> SafeString:
    """The tag's passage text, escaped, with the matched words in <mark>; a long passage
    is cut (…) to a window around the first of them."""
    text = tag.passage.text
    spans = _match_spans(text, tag)
    start, end = _window(text, spans, limit)
    pieces, at = ["… " if start else ""], start
    for low, high in spans:
        low, high = max(low, start), min(high, end)
        if low >= high:
            continue
        pieces += [escape(text[at:low]), "<mark>", escape(text[low:high]), "</mark>"]
        at = high
    pieces += [escape(text[at:end]), " …" if end < len(text) else ""]
    # Safe: every piece of the passage text went through escape() above.
    return mark_safe("".join(pieces))


def _items(tags: list[PassageTopic]) -> list[dict]:
    """The review page's items: each tag, its marked text, and the anchor a decision
    without script comes back to (the next item, or the one before the last)."""
    items = []
    for i, tag in enumerate(tags):
        after = tags[i + 1] if i + 1 < len(tags) else (tags[i - 1] if i else None)
        items.append(
            {
                "tag": tag,
                "text": marked_snippet(tag),
                "anchor": f"tag-{after.id}" if after else "review",
            }
        )
    return items


def _confirm_label(count: int) -> str:
    """The bulk button's label for `count` suggestions, with %(count)s still in it."""
    return ngettext(
        "Confirm the %(count)s suggestion on this page",
        "Confirm all %(count)s on this page",
        count,
    )


@permission_required("library.change_topic", raise_exception=True)
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    """Suggested tags waiting for a decision, per topic, with their matched words marked."""
    topics = selectors.topics_with_waiting()
    slug = request.GET.get("topic", "")
    topic, page, items = None, None, []
    if slug:
        topic = next((t for t in topics if t.slug == slug), None)
        if topic is None:
            raise Http404(_("No topic '%(slug)s'.") % {"slug": slug})
        waiting = selectors.review_queue(topic)
        page = Paginator(waiting, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
        items = _items(list(page.object_list))
    return render(
        request,
        "library/topic_review.html",
        {
            "topics": topics,
            "topic": topic,
            "page": page,
            "items": items,
            "confirm_label": _confirm_label(len(items)) % {"count": len(items)},
            "confirm_one": _confirm_label(1),
            "confirm_other": _confirm_label(2),
            "query": f"topic={slug}" if slug else "",
            "here": request.get_full_path(),
            "review_url": reverse("library:topic_review"),
        },
    )
