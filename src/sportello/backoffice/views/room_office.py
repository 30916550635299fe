"""Sale, the office's own work on a room: its photos (administrators, as room editing) and the bookings the
office makes on behalf of a citizen or an association (phone or desk requests; the room's coordinators too)."""

from contextlib import suppress
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sportello.core.downloads import image_response, pdf_response
from sportello.rooms import services as rooms
from sportello.rooms.models import ApplicantKind
from sportello.rooms.states import State

from ..decorators import admin_required, operator_required
from ..room_office_forms import OfficeBookForm, PhotoForm
from .rooms import _errors, _room, _url


@never_cache
@admin_required
def room_photos(request, pk):
    """Upload (alt text required), describe, order and delete the room's photos."""
    room = _room(request, pk)
    form = PhotoForm(prefix="new")
    if request.method == "POST":
        action = request.POST.get("action", "")
        photo = room.photos.filter(pk=request.POST.get("photo") or 0).first()
        try:
            if action == "add":
                form = PhotoForm(request.POST, request.FILES, prefix="new")
                if form.is_valid():
                    rooms.room_photo_add(
                        room=room, upload=form.cleaned_data["image"], alt_text=form.cleaned_data["alt_text"]
                    )
                    messages.success(request, _("Foto aggiunta."))
                    return redirect(_url(request, "backoffice:room_photos", pk=room.pk))
            elif photo is None:
                raise Http404("No such photo")
            elif action == "describe":
                rooms.room_photo_describe(photo=photo, alt_text=request.POST.get("alt_text", ""))
                messages.success(request, _("Descrizione salvata."))
            elif action in ("up", "down"):
                rooms.room_photo_move(photo=photo, offset=-1 if action == "up" else 1)
            elif action == "delete":
                rooms.room_photo_delete(photo=photo)
                messages.success(request, _("Foto eliminata."))
            else:
                raise Http404("No such action")
            if action != "add":
                return redirect(_url(request, "backoffice:room_photos", pk=room.pk))
        except ValidationError as error:
            if action == "add":
                for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                    form.add_error(field if field in form.fields else "image", errors)
            else:
                _errors(request, error)
                return redirect(_url(request, "backoffice:room_photos", pk=room.pk))
    return render(
        request,
        "backoffice/rooms/photos.html",
        {"room": room, "photos": room.photos.all(), "form": form, "limit": rooms.PHOTOS_PER_ROOM},
    )


@never_cache
@operator_required
def room_photo_file(request, pk, photo_pk, variant):
    room = _room(request, pk)
    photo = room.photos.filter(pk=photo_pk).first()
    if photo is None or photo.variant(variant) is None:
        raise Http404("No such photo")
    return image_response(photo.variant(variant))


@never_cache
@operator_required
def room_regulation(request, pk):
    """The regulation (PDF) of a room the staff member manages, published or not."""
    room = _room(request, pk)
    if not room.regulation:
        raise Http404("No regulation")
    return pdf_response(room.regulation, room.regulation_filename)


@never_cache
@operator_required
def room_book(request, pk):
    """A phone or desk request: the office books on behalf of a citizen or an association (approved at once; the
    applicant receives the notices and the signed link to pay, or the confirmation when it is free)."""
    room = _room(request, pk)
    initial = {"applicant_kind": ApplicantKind.PERSON, "channel": "telefono"}
    with suppress(ValueError):
        initial["day"] = date.fromisoformat(request.GET.get("giorno", ""))
    form = OfficeBookForm(request.POST or None, room=room, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            booking = rooms.room_booking_office_book(
                room=room,
                user=request.user,
                ranges=form.ranges(),
                category=form.cleaned_data["category"],
                applicant=form.applicant(),
                details=form.details(),
                channel=dict(form.fields["channel"].choices)[form.cleaned_data["channel"]],
            )
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        except rooms.RoomTaken as taken:
            form.add_error(None, taken.message())
        else:
            messages.success(
                request,
                _("Prenotazione confermata: nulla da pagare.")
                if booking.state == State.CONFIRMED
                else _(
                    "Prenotazione approvata: il richiedente riceve per e-mail gli avvisi e il link per pagare."
                ),
            )
            return redirect(_url(request, "backoffice:room_booking", pk=booking.pk))
    return render(request, "backoffice/rooms/book.html", {"room": room, "form": form})
