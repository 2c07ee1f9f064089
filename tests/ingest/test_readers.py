"""Ingest: encodings, bad inputs, plain text / Markdown / HTML, scraped-page cleaning."""

from __future__ import annotations

import codecs

import pytest

from workbench.core.errors import InputError
from workbench.ingest.readers import ingest_file, ingest_text, parse_date, read_text

RU = "Посол России в Камбодже заявил, что отношения развиваются. Стороны подписали соглашение."


# ------------------------------------------------------------------------------------------ encodings

@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("cp1251", b""),
])
def test_read_text_encodings(tmp_path, encoding, prefix):
    path = tmp_path / "ru.txt"
    path.write_bytes(prefix + RU.encode(encoding))
    assert read_text(path) == RU


def test_cp1251_document_ingests(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_bytes(("Заявление МИД России\n\n" + RU + "\n").encode("cp1251"))
    doc = ingest_file(path)
    assert doc.paragraphs == ["Заявление МИД России", RU]


@pytest.mark.parametrize("name,data,what", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\t\n\xc2\xa0\n", "empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("latin1.txt", "Le café du résumé était très réputé à Genève.".encode("latin-1"), "encoding"),
    ("german.txt", "Grüße aus Köln, schöne Straße.".encode("cp1252"), "encoding"),
    ("koi8.txt", RU.encode("koi8-r"), "encoding"),
    ("badbom.txt", codecs.BOM_UTF8 + b"abc \xff\xfe def", "UTF-8"),
])
def test_bad_inputs_raise_one_line_input_error(tmp_path, name, data, what):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as exc:
        ingest_file(path)
    msg = str(exc.value)
    assert name in msg and what in msg and "\n" not in msg


def test_missing_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        ingest_file(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="folder"):
        ingest_file(tmp_path)


def test_huge_file_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    with pytest.raises(InputError, match="too big"):
        read_text(path)


def test_unknown_format():
    with pytest.raises(InputError, match="format"):
        ingest_text("Hello there.", fmt="docx")


def test_empty_pasted_text():
    with pytest.raises(InputError, match="empty"):
        ingest_text(" \n ", origin="<pasted>")


# ------------------------------------------------------------------------------------------ dates

@pytest.mark.parametrize("line,iso", [
    ("29 December 202017:39", "2020-12-29 17:39"),
    ("29 December 2020 17:39", "2020-12-29 17:39"),
    ("29 Dec 2020", "2020-12-29"),
    ("December 29, 2020", "2020-12-29"),
    ("Posted: March 5, 2021 at 2:05 p.m.", "2021-03-05 14:05"),
    ("2021-04-12T09:15:00+07:00", "2021-04-12 09:15"),
    ("12.04.2021 14:05", "2021-04-12 14:05"),
    ("5 марта 2021 г.", "2021-03-05"),
    ("Опубликовано: 05.03.2021", "2021-03-05"),
    ("• 1 June 2019", "2019-06-01"),
])
def test_parse_date(line, iso):
    assert parse_date(line) == iso


@pytest.mark.parametrize("line", ["The Declaration was signed on 25 May 1995.", "May 2016 was a milestone",
                                  "32 December 2020", "2020", "Hello"])
def test_parse_date_rejects_non_stamps(line):
    assert parse_date(line) is None


# ------------------------------------------------------------------------------------------ the seed article

def test_seed_article(seed_article_path):
    doc = ingest_file(seed_article_path)
    assert doc.date == "2020-12-29 17:39"
    assert doc.byline == ("Article by the Ambassador of the Russian Federation to the Kingdom of Cambodia "
                          "Anatoly Borovik in the Khmer Times")
    assert doc.title == "Russia, Cambodia and ASEAN – resilient partnership in the time of turbulence"
    assert doc.paragraphs[0] == doc.byline and doc.paragraphs[1] == doc.title
    raw = seed_article_path.read_text(encoding="utf-8")
    # every body paragraph of the source (a block with a full sentence) is kept, in order
    body = [" ".join(b.replace("\u00a0", " ").split()) for b in raw.split("\n\n") if len(b.split()) > 20]
    assert len(body) == 13
    assert doc.paragraphs[2:] == body
    for junk in ("Asset Publisher", "Advanced settings", "en-GB1", "202017:39"):
        assert junk not in doc.text
    assert "\u00a0" not in doc.text and "  " not in doc.text
    assert doc.text == "\n\n".join(doc.paragraphs)
    assert doc.format == "txt" and doc.origin == str(seed_article_path)


# ------------------------------------------------------------------------------------------ other pages

PORTAL_TXT = """Skip navigation

Embassy Portal
Latest Updates
Media Centre
Consular Matters

EN | RU | KM

Posted: March 5, 2021 at 2:05 p.m.

Remarks by the Ambassador at the Reception on the Occasion of the National Day

Excellencies, ladies and gentlemen, it is my great honour to welcome you tonight. This year is special for our
two nations.

Economic ties

Trade between our countries grew by 12 per cent in 2020. We expect further growth.

Thank you for your attention.

Anatoly Borovik

Share on Facebook
Widget Footer
© 2021 Embassy. All rights reserved.
"""


def test_portal_page_with_other_furniture():
    doc = ingest_text(PORTAL_TXT, origin="remarks.txt")
    assert doc.date == "2021-03-05 14:05"
    assert doc.paragraphs == [
        "Remarks by the Ambassador at the Reception on the Occasion of the National Day",
        "Excellencies, ladies and gentlemen, it is my great honour to welcome you tonight. "
        "This year is special for our two nations.",  # hard-wrapped lines joined
        "Economic ties",  # a sub-heading inside the body stays
        "Trade between our countries grew by 12 per cent in 2020. We expect further growth.",
        "Thank you for your attention.",
        "Anatoly Borovik",  # a signature after the body stays
    ]
    assert doc.byline == doc.paragraphs[0]
    assert "Media Centre" in doc.dropped and "EN | RU | KM" in doc.dropped and "Widget Footer" in doc.dropped


RU_PAGE = """Главная
Новости
Пресс-служба

ru-RU en-GB km-KH

12.04.2021 14:05

О встрече Министра иностранных дел России с Министром иностранных дел Камбоджи

12 апреля в Москве состоялась встреча Министра иностранных дел Российской Федерации С.В. Лаврова с \
Заместителем Премьер-министра Камбоджи Пра Саконом. Стороны обсудили двусторонние отношения.

Был подтверждён общий настрой на укрепление сотрудничества, т.е. торговли, образования и культуры.

Версия для печати
Подписаться на рассылку
"""


def test_russian_page():
    doc = ingest_text(RU_PAGE, origin="mid.txt")
    assert doc.date == "2021-04-12 14:05"
    assert doc.title == "О встрече Министра иностранных дел России с Министром иностранных дел Камбоджи"
    assert doc.byline is None
    assert doc.paragraphs[0] == doc.title
    assert len(doc.paragraphs) == 3
    assert doc.paragraphs[2].startswith("Был подтверждён")
    for junk in ("Главная", "ru-RU", "Версия для печати", "Подписаться"):
        assert junk not in doc.text


def test_short_title_alone_is_kept():
    doc = ingest_text("Joint Statement\n\nThe two sides held talks in a friendly atmosphere. They agreed.")
    assert doc.title == "Joint Statement"
    assert doc.paragraphs == ["Joint Statement", "The two sides held talks in a friendly atmosphere. They agreed."]


def test_plain_text_one_paragraph_per_line():
    doc = ingest_text("First line of a text.\nSecond line of a text.\n")
    assert doc.paragraphs == ["First line of a text.", "Second line of a text."] or \
        doc.paragraphs == ["First line of a text. Second line of a text."]
    doc = ingest_text("Hello world")  # not a page: nothing is cleaned away
    assert doc.paragraphs == ["Hello world"] and doc.title == "Hello world"


def test_khmer_text():
    km = "ព្រះរាជាណាចក្រកម្ពុជា\n\nកិច្ចសហប្រតិបត្តិការរវាងប្រទេសទាំងពីរមានការរីកចម្រើន។ ភាគីទាំងពីរបានយល់ព្រម។"
    doc = ingest_text(km)
    assert doc.paragraphs == km.split("\n\n")


# ------------------------------------------------------------------------------------------ HTML

HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Statement | Embassy</title>
<meta property="article:published_time" content="2021-02-03T08:30:00+07:00">
<style>p { color: red }</style><script>var secret = "do not keep";</script></head>
<body>
<header><a href="/">Embassy</a> <ul class="lang-switch"><li>EN</li><li>RU</li></ul></header>
<nav><ul><li>Home</li><li>News</li><li>Contacts</li></ul></nav>
<div class="breadcrumb">Home › News › Statement</div>
<main>
<article>
<h1>Joint&nbsp;Statement on   Cooperation</h1>
<p class="byline">By the Press Office</p>
<p>The Kingdom of Cambodia and the Russian Federation <b>reaffirmed</b> their commitment to the
<a href="https://example.org/un">UN Charter</a>. Both sides welcomed progress&nbsp;in trade &amp; investment.</p>
<h2>Next steps</h2>
<ul><li>Hold consultations in 2021.</li><li>Expand student exchanges.</li></ul>
<form><input name="q"><button>Search</button></form>
<div style="display:none">hidden text</div>
</article>
</main>
<aside>Related news: something else entirely.</aside>
<footer>© 2021 Embassy. All rights reserved.</footer>
</body></html>
"""


def test_html_page(tmp_path):
    path = tmp_path / "statement.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    doc = ingest_file(path)
    assert doc.format == "html"
    assert doc.title == "Joint Statement on Cooperation"
    assert doc.date == "2021-02-03 08:30"
    assert doc.paragraphs == [
        "Joint Statement on Cooperation",
        "By the Press Office",
        "The Kingdom of Cambodia and the Russian Federation reaffirmed their commitment to the UN Charter. "
        "Both sides welcomed progress in trade & investment.",
        "Next steps",
        "Hold consultations in 2021.",
        "Expand student exchanges.",
    ]
    assert doc.byline == "By the Press Office"
    for junk in ("secret", "color", "Contacts", "Related", "hidden", "Search", "›"):
        assert junk not in doc.text


def test_html_entities_are_not_resolved_and_nothing_is_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    page = (f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            f'<html><body><p>Entity here: &xxe; and the rest of the sentence is kept.</p>'
            f'<img src="http://example.invalid/x.png"><p>Second paragraph is here, fine.</p></body></html>')
    doc = ingest_text(page, fmt="html", origin="xxe.html")
    assert "TOP-SECRET" not in doc.text
    assert "the rest of the sentence is kept." in doc.text and "Second paragraph is here, fine." in doc.text


def test_html_without_main_and_with_br():
    doc = ingest_text("<div><p>Line one of the text is here.<br>Line two follows it.</p></div>", fmt="html")
    assert doc.paragraphs == ["Line one of the text is here. Line two follows it."]


def test_html_detected_without_extension(tmp_path):
    path = tmp_path / "page"
    path.write_text("<html><body><p>Hello from a page without an extension.</p></body></html>", encoding="utf-8")
    assert ingest_file(path).format == "html"


def test_html_with_only_furniture():
    with pytest.raises(InputError, match="no translatable text"):
        ingest_text("<html><body><nav>Home News</nav><script>x()</script></body></html>", fmt="html",
                    origin="menu.html")


# ------------------------------------------------------------------------------------------ Markdown

MD = """---
title: Press briefing
date: 2021-05-20
---

# Press briefing by the **Spokesperson**

The Ministry *welcomes* the [ASEAN statement](https://asean.org/x) on the `situation`. It calls for dialogue.
This line continues the same paragraph.

## Key points

- The talks will resume in __June__.
- Both sides agreed to:
  continue consultations.
1. First numbered item.

> A quoted sentence from the statement.

```
code = "not prose"
```

![logo](logo.png)

| Country | Capital |
|---|---|
| Cambodia | Phnom Penh |

---

Final paragraph with an escaped \\*star\\*.
"""


def test_markdown(tmp_path):
    path = tmp_path / "briefing.md"
    path.write_text(MD, encoding="utf-8")
    doc = ingest_file(path)
    assert doc.format == "md"
    assert doc.date == "2021-05-20"
    assert doc.paragraphs == [
        "Press briefing by the Spokesperson",
        "The Ministry welcomes the ASEAN statement on the situation. It calls for dialogue. "
        "This line continues the same paragraph.",
        "Key points",
        "The talks will resume in June.",
        "Both sides agreed to: continue consultations.",
        "First numbered item.",
        "A quoted sentence from the statement.",
        "Country", "Capital", "Cambodia", "Phnom Penh",
        "Final paragraph with an escaped *star*.",
    ]
    assert doc.title == "Press briefing by the Spokesperson"


def test_xhtml_with_xml_declaration(tmp_path):
    path = tmp_path / "page.xhtml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                    "<h1>Press Release</h1><p>The Embassy informs that the office is closed on Monday.</p>"
                    "</body></html>", encoding="utf-8")
    doc = ingest_file(path)
    assert doc.paragraphs == ["Press Release", "The Embassy informs that the office is closed on Monday."]


DIV_SOUP = """<html><body><div class="c1">
<div class="c2"><div>Portal Widget</div><div>03 February 2021 08:30</div>
<div>Interview of the Ambassador of Russia to the Phnom Penh Post</div>
<div><a href="/en">en-US2</a> <a href="/ru">ru-RU2</a> <a href="/km">km-KH0</a></div></div>
<div class="c3"><h2>Cooperation in a changing world</h2>
<p>Question: How do you assess the relations between Russia and Cambodia today?</p>
<p>Answer: Our relations are developing steadily. We have many plans for the next year.</p></div>
<div>Some Footer Label</div><div>Terms of use</div>
</div></body></html>"""


def test_scraped_html_without_semantic_tags():
    doc = ingest_text(DIV_SOUP, fmt="html", origin="interview.html")
    assert doc.date == "2021-02-03 08:30"
    assert doc.paragraphs == [
        "Interview of the Ambassador of Russia to the Phnom Penh Post",
        "Cooperation in a changing world",
        "Question: How do you assess the relations between Russia and Cambodia today?",
        "Answer: Our relations are developing steadily. We have many plans for the next year.",
    ]
    assert doc.title == "Interview of the Ambassador of Russia to the Phnom Penh Post"
    assert {"Portal Widget", "Some Footer Label", "Terms of use"} <= set(doc.dropped)


def test_reingesting_clean_text_is_stable(seed_article_path):
    doc = ingest_file(seed_article_path)
    again = ingest_text(doc.text, origin="again.txt")
    assert again.paragraphs == doc.paragraphs


def test_markdown_with_nul_and_digits_is_plain_text():
    # found by fuzzing (tests/hardening): NUL + digits collided with the markers for escaped characters
    from workbench.ingest.readers import ingest_text

    doc = ingest_text("a\x000\x00 \\*b\\* **c**", fmt="md")
    assert doc.paragraphs == ["a0 *b* c"]


# ------------------------------------------------------------------------------ headings, dates, salutations


def test_heading_date_and_salutation_on_their_own_line_are_units():
    text = ("Statement by the Permanent Representative\n"
            "12 March 2024\n"
            "Mr. President,\n"
            "Excellencies, ladies and gentlemen, it is an honour to address the Council today on behalf of my\n"
            "country and to thank you for convening this important debate on the situation.\n"
            "Economic ties\n"
            "Trade between our countries grew by 12 per cent in 2020. We expect further growth in the\n"
            "coming years and a new agreement on investment.\n")
    doc = ingest_text(text, origin="statement.txt")
    assert doc.date == "2024-03-12"
    assert doc.paragraphs == [
        "Statement by the Permanent Representative",
        "Mr. President,",
        "Excellencies, ladies and gentlemen, it is an honour to address the Council today on behalf of my country "
        "and to thank you for convening this important debate on the situation.",  # hard-wrapped: one unit
        "Economic ties",
        "Trade between our countries grew by 12 per cent in 2020. We expect further growth in the coming years "
        "and a new agreement on investment.",
    ]
    from workbench.ingest.segment import segment_paragraphs

    sents = [s for _p, s in segment_paragraphs(doc.paragraphs, "en")]
    assert sents[1] == "Mr. President," and sents[3] == "Economic ties"


def test_russian_salutation_and_markdown_line_breaks():
    ru = "Г-н Председатель,\nБлагодарю вас за предоставленное слово.\n"
    assert ingest_text(ru).paragraphs == ["Г-н Председатель,", "Благодарю вас за предоставленное слово."]
    md = "# Statement\n\nMr. President,\nThe world needs you to speak out.\nIt is time.\n"
    assert ingest_text(md, fmt="md").paragraphs == ["Statement", "Mr. President,",
                                                    "The world needs you to speak out. It is time."]
    # wrapped prose and a list introduced by a colon stay as they were
    wrapped = ("The ministers discussed the preparations for the summit and the agenda of the\n"
               "next meeting of the joint commission, which will take place in Moscow.\n")
    assert len(ingest_text(wrapped).paragraphs) == 1
    lowercase = "The world needs you to speak out:\nfor social justice and freedom of the press.\n"
    assert len(ingest_text(lowercase).paragraphs) == 1


def test_site_banner_is_never_the_title():
    page = ("Welcome to the United Nations. It's your world.\n\n"
            "International Day of Peace, 21 September 2011\n\n"
            "Every year on the International Day of Peace, people around the world commit to non-violence.\n\n"
            "Peace is our mission; our day-to-day quest.\n")
    doc = ingest_text(page, origin="un.txt")
    assert doc.title == "International Day of Peace, 21 September 2011"
    assert "Welcome to the United Nations. It's your world." in doc.dropped
    ru = ("Добро пожаловать в ООН. Это ваш мир!\n\nПослание по случаю Международного дня мира\n\n"
          "Каждый год в Международный день мира люди во всех уголках планеты заявляют о своей приверженности "
          "отказу от насилия.\n")
    doc = ingest_text(ru, origin="un.ru.txt")
    assert doc.title == "Послание по случаю Международного дня мира" and not doc.text.startswith("Добро")
    md = "Welcome to the United Nations. It's your world.\n\n# Message of the Secretary-General\n\nPeace is ours.\n"
    doc = ingest_text(md, fmt="md")
    assert doc.title == "Message of the Secretary-General"  # Markdown keeps the text, the title skips it
    notice = ("Press Releases\n\nFor information only - not an official document\n\nMessage on Peace Day\n\n"
              "The International Day of Peace is devoted to urging warring parties to lay down their weapons.\n")
    doc = ingest_text(notice)
    assert doc.title == "Message on Peace Day" and "For information only - not an official document" in doc.dropped


def test_dateline_is_a_date_stamp():
    doc = ingest_text("New York, 21 September 2002\n\nThe peace bell is a symbol of global solidarity and hope.\n")
    assert doc.date == "2002-09-21" and doc.paragraphs == ["The peace bell is a symbol of global solidarity and hope."]


def test_a_paragraph_about_copyright_is_prose_not_furniture():
    para = ("Last month, there were major protests in Poland when that country signed ACTA, an agreement on "
            "copyright enforcement, which has led to the Polish government deciding not to ratify the agreement.")
    doc = ingest_text(f"Protests against ACTA\n\n{para}\n\n© 2021 Embassy. All rights reserved.\n")
    assert para in doc.paragraphs
    assert "© 2021 Embassy. All rights reserved." in doc.dropped
