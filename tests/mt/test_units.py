"""Fast tests without a model: registry, protection, guards."""

from __future__ import annotations

import json

import pytest

from workbench.core.errors import InputError, ModelUnavailable, NotFound
from workbench.mt import default_model, get_model, guards, list_models, protect
from workbench.mt.registry import register_local, user_file


def test_builtin_registry_has_the_issue_models(workbench_home):
    names = {e.name: e for e in list_models()}
    assert names["Helsinki-NLP/opus-mt-tc-big-en-zle"].tokens == {"ru": ">>rus<<"}
    assert names["Helsinki-NLP/opus-mt-en-ru"].tokens == {}
    assert names["Helsinki-NLP/opus-mt-tc-bible-big-deu_eng_fra_por_spa-mkh"].tokens == {"km": ">>khm<<"}
    assert names["Helsinki-NLP/opus-mt-en-mkh"].tgt == ["km"]
    assert not any(e.installed for e in names.values())


def test_no_model_message_names_commands(workbench_home):
    with pytest.raises(ModelUnavailable) as ei:
        default_model("en", "km")
    msg = str(ei.value)
    assert "\n" not in msg and "workbench models pull Helsinki-NLP/" in msg and "workbench models import" in msg


def _fake_marian(d, tokens=(">>rus<<", ">>khm<<")):
    d.mkdir(parents=True)
    (d / "config.json").write_text(json.dumps({"model_type": "marian"}))
    (d / "source.spm").write_bytes(b"x")
    (d / "target.spm").write_bytes(b"x")
    (d / "vocab.json").write_text(json.dumps({"</s>": 0, "<unk>": 1, **{t: i + 2 for i, t in enumerate(tokens)}}))
    (d / "model.safetensors").write_bytes(b"x")
    return d


def test_import_registers_in_user_file_and_defaults(tmp_path, workbench_home):
    d = _fake_marian(tmp_path / "m")
    e = register_local("mine", d)
    assert e.tgt == ["ru", "km"] and e.tokens == {"ru": ">>rus<<", "km": ">>khm<<"} and e.installed
    assert "mine" in user_file().read_text(encoding="utf-8")
    assert default_model("en", "ru").name == "mine"
    # a built-in name imported from a local copy keeps its registry languages
    d2 = _fake_marian(tmp_path / "m2", tokens=())
    e2 = register_local("Helsinki-NLP/opus-mt-en-ru", d2)
    assert e2.tgt == ["ru"] and e2.tokens == {} and e2.installed and e2.builtin
    # built-ins come first unless a user entry says default = true
    assert default_model("en", "ru").name == "Helsinki-NLP/opus-mt-en-ru"
    register_local("mine", d, default=True)
    assert default_model("en", "ru").name == "mine"
    assert default_model("en", "km").name == "mine"
    assert get_model(str(d)).tgt == ["ru", "km"]  # a bare directory works too


def test_import_rejects_non_marian(tmp_path, workbench_home):
    with pytest.raises(NotFound):
        register_local("x", tmp_path / "missing")
    d = _fake_marian(tmp_path / "bart")
    (d / "config.json").write_text(json.dumps({"model_type": "bart"}))
    with pytest.raises(InputError, match="not 'marian'"):
        register_local("x", d)
    d3 = _fake_marian(tmp_path / "notoken", tokens=())
    with pytest.raises(InputError, match="--to"):
        register_local("y", d3)
    assert register_local("y", d3, tgts=["ru"]).tgt == ["ru"]


def test_bad_user_registry(workbench_home):
    user_file().write_text("[[model]]\nname = 'x'\ncolour = 'red'\n", encoding="utf-8")
    with pytest.raises(InputError, match="colour"):
        list_models()
    user_file().write_text("[[model]]\nname = 'x'\ntgt = ['xx']\n", encoding="utf-8")
    with pytest.raises(Exception, match="xx"):
        list_models()


@pytest.mark.parametrize("text,kinds", [
    ("See https://www.mid.ru/ru/foreign_policy/news/ today.", ["url"]),
    ("Write to press@embassy.example.org.", ["email"]),
    ("On 12.05.2024 at 09:30, 1,500 people and 3.5% more.", ["number", "number", "number", "number"]),
    ("COVID-19 and the G20 met on iPhone day.", ["code", "code", "code"]),
    ("The UN and ASEAN met in Phnom Penh.", []),
    ("Placeholder [1] is not a number.", []),
])
def test_find_spans(text, kinds):
    assert [s.kind for s in protect.find_spans(text)] == kinds


def test_number_survival_accepts_local_formatting():
    (span,) = protect.find_spans("It cost 1,500,000 riel.")
    assert protect.survives(span, "Это стоило 1 500 000 риелей.")
    assert not protect.survives(span, "Это стоило 1 500 риелей.")
    (d,) = protect.find_spans("Growth was 3.5 points.")
    assert protect.survives(d, "Рост составил 3,5 пункта.")


def test_mask_restore_roundtrip():
    text = "Mail press@mfa.gov.kh about item [1] and COVID-19."
    spans = protect.find_spans(text, keep=["Smart Axiata"])
    masked, mapping = protect.mask(text, spans)
    assert "press@mfa.gov.kh" not in masked and "[1]" in masked and "[2]" in masked and "[3]" in masked
    assert mapping == {"[2]": "press@mfa.gov.kh", "[3]": "COVID-19"}
    out, ok = protect.restore("Пишите на [2] о пункте [1] и [3].", mapping)
    assert ok and out == "Пишите на press@mfa.gov.kh о пункте [1] и COVID-19."
    assert protect.restore("Пишите.", mapping) == ("Пишите.", False)


def test_keep_names():
    spans = protect.find_spans("Smart Axiata and Smart Axiata Ltd signed.", keep=["Smart Axiata", "Smart Axiata Ltd"])
    assert [s.text for s in spans] == ["Smart Axiata", "Smart Axiata Ltd"]


def test_repetition_detector():
    assert guards.has_repetition("Thank you.", "Спасибо спасибо спасибо спасибо.")
    assert guards.has_repetition("The talks.", "Переговоры прошли прошли в в в в в в Пномпене.")
    assert not guards.has_repetition("Thank you.", "Большое спасибо.")
    # the source repeats too: not a model loop
    assert not guards.has_repetition("Very, very, very good.", "Очень, очень, очень хорошо.")
    assert guards.has_repetition("Hello.", "សួស្តីនននននននននននន")


def test_length_ratio():
    src = "The minister met the ambassador in Phnom Penh on Monday."
    assert guards.length_flags(src, "Министр встретился с послом в Пномпене в понедельник.") == []
    assert guards.length_flags(src, "Министр.") == ["length_ratio"]
    assert guards.length_flags(src, "Министр встретился с послом. " * 6) == ["length_ratio"]
    assert guards.decode_limit(10, 256) == 40 and guards.decode_limit(500, 256) == 256
