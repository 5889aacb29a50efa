"""Replies by email: reply-address tokens, and what is kept of the messages mail clients send back."""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from forums.inbound import (
    BadReplyToken,
    html_to_text,
    make_reply_token,
    parse_inbound_message,
    read_reply_token,
    reply_address,
)

DATA = Path(__file__).with_name("data")


def message(name: str, token: str = "TOKEN"):
    return parse_inbound_message((DATA / f"{name}.eml").read_bytes().replace(b"TOKEN", token.encode()))


def test_reply_address_uses_the_reply_domain(settings):
    settings.FORUMS_REPLY_DOMAIN = "forums.example.org"
    address = reply_address(42, 7)
    local_part, domain = address.split("@")
    assert domain == "forums.example.org"
    assert local_part.startswith("reply+")
    assert len(local_part) <= 64
    assert local_part == local_part.lower()
    assert read_reply_token(local_part.removeprefix("reply+")) == (42, 7)


def test_reply_address_falls_back_to_the_site_host(settings):
    settings.FORUMS_REPLY_DOMAIN = ""
    settings.WAGTAILADMIN_BASE_URL = "https://network.example.org:8443/"
    assert reply_address(1, 2).endswith("@network.example.org")


def test_token_survives_a_change_of_case_and_large_ids():
    token = make_reply_token(2**31 - 1, 2**31 - 1)
    assert len("reply+" + token) <= 64
    assert read_reply_token(token.upper()) == (2**31 - 1, 2**31 - 1)


@pytest.mark.parametrize("position", [0, 5, -1])
def test_tampered_token_is_refused(position):
    token = make_reply_token(42, 7)
    changed = "a" if token[position] != "a" else "b"
    tampered = token[:position] + changed + (token[position + 1 :] if position != -1 else "")
    with pytest.raises(BadReplyToken, match="not valid"):
        read_reply_token(tampered)


def test_token_for_another_topic_cannot_be_forged_by_swapping_parts():
    one, other = make_reply_token(42, 7), make_reply_token(42, 8)
    with pytest.raises(BadReplyToken):
        read_reply_token(one[:-16] + other[-16:])


@pytest.mark.parametrize("garbage", ["", "token", "reply", "0189!!", "a" * 40])
def test_garbage_token_is_refused(garbage):
    with pytest.raises(BadReplyToken):
        read_reply_token(garbage)


def test_token_signed_with_another_key_is_refused(settings):
    token = make_reply_token(42, 7)
    settings.SECRET_KEY = "another-secret-key-" * 3
    with pytest.raises(BadReplyToken):
        read_reply_token(token)


def test_token_signed_with_a_rotated_key_is_still_accepted(settings):
    old_key = settings.SECRET_KEY
    token = make_reply_token(42, 7)
    settings.SECRET_KEY = "the-new-secret-key-" * 3
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert read_reply_token(token) == (42, 7)


def test_expired_token_is_refused(settings):
    settings.FORUMS_REPLY_TOKEN_DAYS = 60
    token = make_reply_token(42, 7, issued_at=timezone.now() - timedelta(days=61))
    with pytest.raises(BadReplyToken, match="expired"):
        read_reply_token(token)


def test_token_within_its_lifetime_is_accepted(settings):
    settings.FORUMS_REPLY_TOKEN_DAYS = 60
    token = make_reply_token(42, 7, issued_at=timezone.now() - timedelta(days=59))
    assert read_reply_token(token) == (42, 7)


def test_token_lifetime_follows_the_setting(settings, monkeypatch):
    token = make_reply_token(42, 7)
    settings.FORUMS_REPLY_TOKEN_DAYS = 1
    issued = time.time()
    monkeypatch.setattr("forums.inbound.time.time", lambda: issued + 2 * 86400)
    with pytest.raises(BadReplyToken, match="expired"):
        read_reply_token(token)


def test_gmail_reply_keeps_only_the_new_text():
    parsed = message("gmail_reply")
    assert parsed.new_text == (
        "Thanks for sharing this. We used the SAAT guide in Accra last year:\n\n"
        "- the written test first\n- then the driving test\n\nSee **module 3**."
    )
    assert parsed.sender == "anna.smith@gmail.example"
    assert parsed.subject == "Re: [Forums] Training curricula for UNPOL candidates"
    assert parsed.message_id == "<CAKx1=gmail-reply-1@mail.gmail.example>"
    assert parsed.auto_submitted is False


def test_outlook_reply_drops_the_from_sent_block():
    parsed = message("outlook_reply")
    assert parsed.new_text == (
        "Hello Marie,\n\nThe allowance is paid monthly. Ask the mission's HR office for form P.4.\n\nGrace"
    )
    assert parsed.recipients == ["reply+token@forums.example.org", "marie@example.org"]


def test_french_reply_drops_the_le_a_ecrit_history():
    parsed = message("french_reply")
    assert parsed.new_text == (
        "Bonjour à toutes,\n\nOui, la formation a lieu à Dakar en septembre. Les inscriptions ferment le 15 août."
    )
    assert parsed.sender == "fatou.ndiaye@example.sn"


def test_html_only_reply_is_turned_into_text():
    parsed = message("html_only_reply")
    assert parsed.new_text == "I can bring the first-aid kits & the radios.\n\nCall me on Friday.\nZainab"


def test_signature_is_cut_and_markdown_indentation_kept():
    parsed = message("signature_reply")
    assert parsed.new_text == "I would like to mentor two officers this year.\n\n    Available: Tuesdays"
    assert parsed.recipients == ["reply+token@forums.example.org"]


def test_auto_reply_is_flagged():
    parsed = message("auto_reply")
    assert parsed.auto_submitted is True


@pytest.mark.parametrize(
    "header",
    ["Auto-Submitted: auto-generated", "Precedence: bulk", "Precedence: list", "Precedence: junk", "Return-Path: <>"],
)
def test_automatic_mail_is_flagged(header):
    raw = f"From: a@example.org\r\nTo: reply+abc@example.org\r\n{header}\r\nSubject: x\r\n\r\nhello\r\n"
    assert parse_inbound_message(raw.encode()).auto_submitted is True


def test_auto_submitted_no_is_a_person():
    raw = b"From: a@example.org\r\nTo: reply+abc@example.org\r\nAuto-Submitted: no\r\nSubject: x\r\n\r\nhello\r\n"
    assert parse_inbound_message(raw).auto_submitted is False


def test_message_without_sender_is_flagged():
    raw = b"To: reply+abc@example.org\r\nSubject: x\r\n\r\nhello\r\n"
    parsed = parse_inbound_message(raw)
    assert parsed.sender == ""
    assert parsed.auto_submitted is True


def test_token_round_trips_through_a_message():
    token = make_reply_token(42, 7)
    parsed = message("gmail_reply", token=token.upper())
    assert parsed.token == token
    assert read_reply_token(parsed.token) == (42, 7)


def test_token_comes_from_the_first_reply_recipient():
    raw = (
        b"From: a@example.org\r\nTo: Someone <someone@example.org>\r\nCc: reply+first@example.org, "
        b"reply+second@example.org\r\nSubject: x\r\n\r\nhello\r\n"
    )
    parsed = parse_inbound_message(raw)
    assert parsed.token == "first"
    assert parsed.recipients == ["someone@example.org", "reply+first@example.org", "reply+second@example.org"]


def test_message_without_reply_address_has_no_token():
    raw = b"From: a@example.org\r\nTo: forums@example.org\r\nSubject: x\r\n\r\nhello\r\n"
    assert parse_inbound_message(raw).token is None


def test_reply_that_is_only_quoted_history_has_no_new_text():
    raw = (
        b"From: a@example.org\r\nTo: reply+abc@example.org\r\nSubject: x\r\n\r\n"
        b"On Mon, 3 Jun 2024 at 09:58, Forums <no-reply@example.org> wrote:\r\n> the post\r\n"
    )
    assert parse_inbound_message(raw).new_text == ""


def test_trailing_quoted_lines_are_cut_without_an_attribution():
    raw = b"From: a@example.org\r\nTo: reply+abc@example.org\r\nSubject: x\r\n\r\nYes.\r\n\r\n> the post\r\n> more\r\n"
    assert parse_inbound_message(raw).new_text == "Yes."


def test_html_to_text_keeps_breaks_and_quotes_blockquotes():
    text = html_to_text("<div>One<br>Two</div><p>Three &amp; four</p><blockquote>Old<br>text</blockquote>")
    assert text == "One\nTwo\nThree & four\n\n> Old\n> text"
