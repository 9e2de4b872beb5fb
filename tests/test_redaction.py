"""Redaction: every kind of personal data out of free text, what is not personal left in, the
language of a text, and the redacted text table written once per text."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb
import pytest

from escalations.generator.voice import person
from escalations.voice.language import detect, words
from escalations.voice.redact import Names, Redactor
from escalations.voice.text import REDACTION_VERSION, TABLE, redact_new_text

NAMES = Names.from_full_names(["Ana Silva", "Kenji Costa", "Noor Weber", "Integration User", None, ""])
R = Redactor(NAMES)


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("Write to ana.silva77@example.com today", "Write to [EMAIL] today", "email"),
        ("mail: k.costa+yt@mail.example.org.", "mail: [EMAIL].", "email"),
        ("my channel @kenjicosta83.", "my channel [HANDLE].", "handle"),
        ("(@ana_live) here", "([HANDLE]) here", "handle"),
        ("call +1 (415) 555-0123 now", "call [PHONE] now", "phone"),
        ("ligue (11) 98765-4321", "ligue [PHONE]", "phone"),
        ("+55 11 98765-4321", "[PHONE]", "phone"),
        ("hubungi 0812-3456-7890", "hubungi [PHONE]", "phone"),
        ("連絡先は090-1234-5678です", "連絡先は[PHONE]です", "phone"),
        ("Sie erreichen mich unter +49 151 2345 6789.", "Sie erreichen mich unter [PHONE].", "phone"),
        ("+6281234567890 whatsapp", "[PHONE] whatsapp", "phone"),
        ("link https://example-platform.com/user/6802890435 ok", "link [URL] ok", "url"),
        ("https://www.example-platform.com/@ana_live.", "[URL].", "url"),
        ("see https://m.example-platform.com/profile?id=12 now", "see [URL] now", "url"),
        ("プロフィール: https://example-platform.com/user/6802890435です", "プロフィール: [URL]です", "url"),
        ("my user id is 6802890435", "my user id is [NUMBER]", "number"),
        ("Ana Silva from support", "[NAME] from support", "name"),
        ("I talked to Noor Weber and Kenji", "I talked to [NAME] and [NAME]", "name"),
        ("Yuki Tanakaと申します。", "[NAME]と申します。", "name"),  # no export names her
        ("Me llamo Marta Quinn y mi cuenta", "Me llamo [NAME] y mi cuenta", "name"),
        ("Nama saya Budi Santoso dan akun", "Nama saya [NAME] dan akun", "name"),
        ("Thanks,\nZebulon", "Thanks,\n[NAME]", "name"),
        ("video removed.\n— Marta Quinn", "video removed.\n— [NAME]", "name"),
        ("Regards, Marta Quinn", "Regards, [NAME]", "name"),
    ],
)
def test_each_kind_of_personal_data_is_replaced(text, expected, kind):
    redacted, counts = R.redact(text)
    assert redacted == expected
    assert counts[kind] >= 1


@pytest.mark.parametrize(
    "text",
    [
        "Since the 34.0.1 update my balance shows 0.00 and error PX-1042 appears.",
        "Pagamento de R$ 2.340,00 previsto para 2026-03-14.",
        "Saldo Rp 45.000.000 hilang sejak 14/03/2026.",
        "See https://help.example-platform.com/articles/payouts for the rules.",
        "I am waiting for the 2FA code for 12 days, ticket 35012.",
        "The Integration User closed it, the team lead agreed.",
        "Thanks in advance.",
    ],
)
def test_what_is_not_personal_stays(text):
    redacted, counts = R.redact(text)
    assert redacted == text, counts


def test_every_piece_of_a_generated_requester_is_redacted():
    who = person("BR", 4242)
    text = (
        f"Olá,\nMeu nome é {who.name} e minha conta é @{who.handle}. Me escrevam em {who.email} ou "
        f"liguem para {who.phone}. Meu perfil: https://example-platform.com/user/{who.user_id}\n— {who.name}"
    )
    redacted, counts = Redactor(Names.from_full_names([who.name])).redact(text)
    for piece in (who.first, who.last, who.handle, who.email, who.phone, str(who.user_id)):
        assert piece not in redacted, piece
    assert set(counts) == {"name", "handle", "email", "phone", "url"}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("My payout has not arrived and the dashboard still says processing.", "en"),
        ("Mi pago no ha llegado y el panel sigue diciendo en proceso.", "es"),
        ("Meu pagamento não caiu e o painel continua dizendo em processamento.", "pt"),
        ("Pembayaran saya belum masuk dan dasbor masih menulis sedang diproses.", "id"),
        ("Meine Auszahlung ist nicht angekommen und im Dashboard steht noch in Bearbeitung.", "de"),
        ("支払いが届いていません。ダッシュボードは処理中のままです。", "ja"),
        ("[EMAIL] [PHONE] 12345", "unknown"),
    ],
)
def test_the_language_of_a_text(text, language):
    assert detect(text) == language


def test_words_leave_out_function_words_and_cut_japanese_in_pairs():
    assert words("The payout of my account shows 0.00 since 34.0.1 (PX-1042)", "en") == [
        "payout",
        "account",
        "shows",
        "0.00",
        "34.0.1",
        "px-1042",
    ]
    assert words("出金ボタン", "ja") == ["出金", "金ボ", "ボタ", "タン"]


def _raw(conn, table: str, rows: list[tuple[str, dict]]) -> None:
    conn.execute("create schema if not exists raw")
    conn.execute(f"create or replace table raw.{table} (id varchar, record json, _loaded_at timestamptz)")
    for rid, rec in rows:
        conn.execute(f"insert into raw.{table} values (?, ?, now())", [rid, json.dumps(rec)])


def test_the_table_redacts_each_text_once_and_again_when_it_changes(tmp_path):
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    _raw(conn, "zendesk_users", [("1", {"name": "Ana Silva", "role": "end-user"})])
    ticket = {"subject": "Payout missing", "description": "Hi, Ana Silva here, my payout is missing. Call +1 (415) 555-0123.",
              "created_at": "2026-03-02T10:00:00Z"}  # fmt: skip
    _raw(conn, "zendesk_tickets", [("7", ticket)])
    _raw(
        conn,
        "zendesk_satisfaction_ratings",
        [
            ("70", {"ticket_id": 7, "score": "bad", "comment": "Took too long, Ana", "created_at": "2026-03-05T10:00:00Z"}),
            ("71", {"ticket_id": 7, "score": "good", "comment": "", "created_at": "2026-03-05T10:00:00Z"}),
        ],
    )  # fmt: skip
    now = datetime(2026, 3, 6, tzinfo=UTC)
    first = redact_new_text(conn, now)
    assert first.texts_redacted == 2 and first.texts_in_table == 2  # the empty comment is no text
    rows = conn.execute(
        f"select text_key, escalation_key, text_kind, subject, body, language, redacted_name, redacted_phone, "
        f"score from {TABLE} order by 1"
    ).fetchall()
    assert rows == [
        ("zendesk_satisfaction_ratings:70", "zendesk:7", "csat_comment", None, "Took too long, [NAME]", "en", 1, 0, "bad"),
        ("zendesk_tickets:7", "zendesk:7", "request", "Payout missing", "Hi, [NAME] here, my payout is missing. Call [PHONE].", "en", 1, 1, None),
    ]  # fmt: skip
    assert redact_new_text(conn, now).texts_redacted == 0  # nothing new
    ticket["status"] = "solved"  # a new version with the same text: not redacted again
    _raw(conn, "zendesk_tickets", [("7", ticket)])
    assert redact_new_text(conn, now).texts_redacted == 0
    ticket["description"] = "Still broken, mail me at ana@example.com"
    _raw(conn, "zendesk_tickets", [("7", ticket)])
    again = redact_new_text(conn, now)
    assert again.texts_redacted == 1 and again.texts_in_table == 2
    assert conn.execute(f"select body from {TABLE} where text_kind = 'request'").fetchone()[0] == (
        "Still broken, mail me at [EMAIL]"
    )
    conn.execute(f"update {TABLE} set redaction_version = 'old'")
    redone = redact_new_text(conn, now)
    assert redone.redo_all and redone.texts_redacted == 2
    assert {r[0] for r in conn.execute(f"select redaction_version from {TABLE}").fetchall()} == {
        REDACTION_VERSION
    }
