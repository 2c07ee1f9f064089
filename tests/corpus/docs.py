"""Small bilingual document sets for the corpus tests: four statements in English with their Russian
translations, one English and one Russian statement without a partner, file names unrelated across the two
folders. Written for these tests (diplomatic register; numbers, dates and names as real statements have)."""

from __future__ import annotations

from pathlib import Path

#: (English file, Russian file, English text, Russian text)
PAIRS = [
    ("2019-visit-statement.txt", "zayavlenie_a.txt",
     "On 14 March 2019 Foreign Minister Sergey Lavrov received Prak Sokhonn in Moscow.\n\n"
     "The ministers discussed trade, which grew by 12 percent in 2018. "
     "They agreed to hold the next round of consultations in Phnom Penh in October. "
     "Both sides welcomed the 1,200 students from Cambodia now studying in Russia. "
     "The meeting lasted two hours.",
     "14 марта 2019 года министр иностранных дел Сергей Лавров принял в Москве Прак Сокхона.\n\n"
     "Министры обсудили торговлю, которая в 2018 году выросла на 12 процентов. "
     "Они договорились провести следующий раунд консультаций в Пномпене в октябре. "
     "Обе стороны приветствовали 1200 студентов из Камбоджи, которые сейчас учатся в России. "
     "Встреча продолжалась два часа."),
    ("press-release-7.txt", "novost_b.txt",
     "The Embassy informs that the consular section will be closed on 4 November 2021. "
     "Visa applications submitted before 29 October will be processed as usual. "
     "For urgent matters, call +855 23 214 441.\n\n"
     "The section reopens on Friday, 5 November, at 09:00.",
     "Посольство сообщает, что консульский отдел будет закрыт 4 ноября 2021 года. "
     "Заявления на визу, поданные до 29 октября, будут рассмотрены в обычном порядке. "
     "По срочным вопросам звоните по телефону +855 23 214 441.\n\n"
     "Отдел возобновит работу в пятницу, 5 ноября, в 09:00."),
    ("asean-summit.txt", "sammit_c.txt",
     "The 37th ASEAN Summit opened in Hanoi on 12 November 2020. "
     "Leaders of 10 member states took part by video link. "
     "Prime Minister Hun Sen called for closer cooperation against COVID-19. "
     "The summit adopted 45 documents.\n\n"
     "The next summit will be held in Brunei in 2021.",
     "37-й саммит АСЕАН открылся в Ханое 12 ноября 2020 года. "
     "Лидеры 10 государств-членов участвовали в режиме видеосвязи. "
     "Премьер-министр Хун Сен призвал к более тесному сотрудничеству в борьбе с COVID-19. "
     "Саммит принял 45 документов.\n\n"
     "Следующий саммит пройдет в Брунее в 2021 году."),
    ("mine-clearance.txt", "razminirovanie_d.txt",
     "Russian deminers cleared 640 hectares in Battambang province between 2017 and 2020. "
     "More than 3,000 mines and shells were found and destroyed. "
     "The project was funded with 2.5 million dollars.\n\n"
     "Governor Sok Lou thanked the team from Vladivostok.",
     "Российские саперы в 2017–2020 годах разминировали 640 гектаров в провинции Баттамбанг. "
     "Было обнаружено и уничтожено более 3000 мин и снарядов. "
     "На проект было выделено 2,5 миллиона долларов.\n\n"
     "Губернатор Сок Лоу поблагодарил команду из Владивостока."),
]

#: a document on each side with no partner on the other
EN_ONLY = ("culture-week.txt",
           "A week of Khmer culture will open in Kazan on 21 June 2022 with 80 dancers and musicians. "
           "Prak Sokhonn, who first visited Moscow in 2019, will attend the opening. "
           "Exhibitions of silk and silverwork run until 30 June. "
           "Entry to all events is free.")
RU_ONLY = ("fond_e.txt",
           "Фонд Горчакова объявил конкурс грантов для 25 молодых дипломатов из стран АСЕАН. "
           "Заявки принимаются до 15 сентября 2023 года. "
           "Первый такой конкурс прошел в Ханое в ноябре 2020 года. "
           "Победители пройдут стажировку в Санкт-Петербурге.")


def write_corpus(root: Path, *, distractors: bool = True, binary: bool = False) -> tuple[Path, Path]:
    """Write ``root/en`` and ``root/ru``; returns the two folders."""
    en, ru = root / "en", root / "ru"
    en.mkdir(parents=True, exist_ok=True)
    ru.mkdir(parents=True, exist_ok=True)
    for en_name, ru_name, en_text, ru_text in PAIRS:
        (en / en_name).write_text(en_text + "\n", encoding="utf-8")
        (ru / ru_name).write_text(ru_text + "\n", encoding="utf-8")
    if distractors:
        (en / EN_ONLY[0]).write_text(EN_ONLY[1] + "\n", encoding="utf-8")
        (ru / RU_ONLY[0]).write_text(RU_ONLY[1] + "\n", encoding="utf-8")
    if binary:
        (en / "scan.pdf").write_bytes(b"%PDF-1.4\n\x00\x01\x02\xff" * 64)
    return en, ru


def gold_pairs() -> set[tuple[str, str]]:
    return {(a, b) for a, b, _, _ in PAIRS}
