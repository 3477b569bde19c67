"""The words of the templates, in the site's `language`: a French newsroom's pages said "Latest",
"By" and "24 articles" around French articles.

Each word of the interface has a key ("latest", "articles"); a built-in table gives them for a
few languages, the site's `labels:` setting overrides any of them, and English fills the rest (as
Hugo's `i18n/` tables fall back to the default language). Templates write `{{ "latest"|t }}`, or
`{{ "articles"|t(24) }}` for a count, whose form follows the language's plural rules (CLDR's,
through Babel: Russian says 1 статья, 2 статьи, 5 статей, 21 статья). Dates and month names
come from CLDR too; English keeps sitegen's own ("6 February 2026").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import hashlib
import re
from collections.abc import Mapping
from typing import Any

import markupsafe

from sitegen.language import digit_table, direction, primary_subtag

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip

# CLDR's plural categories: a count's form is one of these, "other" when a table lacks its own.
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")

Label = str | Mapping[str, str]  # a count's label maps plural forms to texts

ENGLISH: dict[str, Label] = {
    "site_title": "News",
    "site_description": "The latest news, and every article before it.",
    "skip_link": "Skip to content",
    "site_nav": "Site",
    "latest": "Latest",
    "archive": "Archive",
    "tags": "Tags",
    "latest_news": "Latest news",
    "feed": "Feed",
    "tag_feed": "Feed of “{tag}”",
    "earlier_news": "Earlier news",
    "by": "By",
    "reading_time": {"one": "{n} min read", "other": "{n} min read"},
    "related": "Related articles",
    "article_nav": "Newer and older articles",
    "articles": {"one": "{n} article", "other": "{n} articles"},
    "tag_count": {"one": "{n} tag", "other": "{n} tags"},
    "page": "Page {n}",
    "page_dates": "Page {n}: {dates}",
    "page_title": "{title}, page {n}",
    "nth_page": "page {n}",
    "date_range": "{start} to {end}",
    "tagged": "Tagged “{tag}”",
    "months": "Months",
    "days": "Days",
    "neighbours": "Neighbouring archives",
    "pages": "Pages",
    "newest": "Newest",
    "first_page": "« Newest",
    "newer": "← Newer",
    "older": "Older →",
    "last_page": "Oldest »",
    "no_articles": "No articles yet.",
    "most_used": "Most used",
    "all_tags": "All tags, A to Z",
    "no_tags": "No article has tags yet.",
    "not_found": "Page not found",
    "not_found_text": (
        "There is no page at this address. It may have moved, or the link may be mistyped."
    ),
    "not_found_links": "{home} or browse the {archive}.",
    "not_found_home": "Go to the latest news",
    "not_found_archive": "archive",
    "description_list": "{title}, {count}.",
    "description_tag": "Articles tagged “{tag}”: {count}.",
    "description_archive": "News from {title}: {count}.",
    "description_tags": "Every tag of {site}, by use and from A to Z.",
    "description_archive_index": "Every year and month of {site}, with article counts.",
    "footnote_back": "Jump back to footnote {n} in the text",
}

FRENCH: dict[str, Label] = {
    "site_title": "Actualités",
    "site_description": "Les dernières actualités, et tous les articles parus avant elles.",
    "skip_link": "Aller au contenu",
    "site_nav": "Site",
    "latest": "À la une",
    "archive": "Archives",
    "tags": "Mots-clés",
    "latest_news": "Dernières actualités",
    "feed": "Flux",
    "tag_feed": "Flux «\u00a0{tag}\u00a0»",
    "earlier_news": "Actualités précédentes",
    "by": "Par",
    "reading_time": {"one": "{n} min de lecture", "other": "{n} min de lecture"},
    "related": "Articles liés",
    "article_nav": "Article précédent et article suivant",
    "articles": {"one": "{n} article", "other": "{n} articles"},
    "tag_count": {"one": "{n} mot-clé", "other": "{n} mots-clés"},
    "page": "Page {n}",
    "page_dates": "Page {n}\u00a0: {dates}",
    "page_title": "{title}, page {n}",
    "nth_page": "page {n}",
    "date_range": "du {start} au {end}",
    "tagged": "Mot-clé «\u00a0{tag}\u00a0»",
    "months": "Mois",
    "days": "Jours",
    "neighbours": "Archives voisines",
    "pages": "Pages",
    "newest": "Les plus récents",
    "first_page": "« Les plus récents",
    "newer": "← Plus récents",
    "older": "Plus anciens →",
    "last_page": "Les plus anciens »",
    "no_articles": "Aucun article pour l’instant.",
    "most_used": "Les plus utilisés",
    "all_tags": "Tous les mots-clés, de A à Z",
    "no_tags": "Aucun article n’a encore de mot-clé.",
    "not_found": "Page introuvable",
    "not_found_text": (
        "Il n’y a aucune page à cette adresse. Elle a peut-être été déplacée, ou le lien est "
        "erroné."
    ),
    "not_found_links": "{home} ou parcourez les {archive}.",
    "not_found_home": "Voir les dernières actualités",
    "not_found_archive": "archives",
    "description_list": "{title}, {count}.",
    "description_tag": "Articles avec le mot-clé «\u00a0{tag}\u00a0»\u00a0: {count}.",
    "description_archive": "Archives\u00a0: {title}, {count}.",
    "description_tags": "Tous les mots-clés de {site}, par fréquence et de A à Z.",
    "description_archive_index": (
        "Toutes les années et tous les mois de {site}, avec le nombre d’articles."
    ),
    "footnote_back": "Revenir à la note {n} dans le texte",
}

GERMAN: dict[str, Label] = {
    "site_title": "Nachrichten",
    "site_description": "Die neuesten Nachrichten und alle Artikel davor.",
    "skip_link": "Zum Inhalt springen",
    "site_nav": "Website",
    "latest": "Aktuell",
    "archive": "Archiv",
    "tags": "Schlagwörter",
    "latest_news": "Aktuelle Nachrichten",
    "feed": "Feed",
    "tag_feed": "Feed zu „{tag}“",
    "earlier_news": "Ältere Nachrichten",
    "by": "Von",
    "reading_time": {"one": "{n} Min. Lesezeit", "other": "{n} Min. Lesezeit"},
    "related": "Mehr zum Thema",
    "article_nav": "Vorheriger und nächster Artikel",
    "articles": {"one": "{n} Artikel", "other": "{n} Artikel"},
    "tag_count": {"one": "{n} Schlagwort", "other": "{n} Schlagwörter"},
    "page": "Seite {n}",
    "page_dates": "Seite {n}: {dates}",
    "page_title": "{title}, Seite {n}",
    "nth_page": "Seite {n}",
    "date_range": "{start} bis {end}",
    "tagged": "Schlagwort „{tag}“",
    "months": "Monate",
    "days": "Tage",
    "neighbours": "Benachbarte Archive",
    "pages": "Seiten",
    "newest": "Neueste",
    "first_page": "« Neueste",
    "newer": "← Neuere",
    "older": "Ältere →",
    "last_page": "Älteste »",
    "no_articles": "Noch keine Artikel.",
    "most_used": "Am häufigsten",
    "all_tags": "Alle Schlagwörter von A bis Z",
    "no_tags": "Noch hat kein Artikel Schlagwörter.",
    "not_found": "Seite nicht gefunden",
    "not_found_text": (
        "Unter dieser Adresse gibt es keine Seite. Vielleicht wurde sie verschoben, oder der "
        "Link ist fehlerhaft."
    ),
    "not_found_links": "{home} oder im {archive} stöbern.",
    "not_found_home": "Zu den aktuellen Nachrichten",
    "not_found_archive": "Archiv",
    "description_list": "{title}, {count}.",
    "description_tag": "Artikel mit dem Schlagwort „{tag}“: {count}.",
    "description_archive": "Archiv {title}: {count}.",
    "description_tags": "Alle Schlagwörter von {site}, nach Häufigkeit und von A bis Z.",
    "description_archive_index": "Alle Jahre und Monate von {site}, mit der Zahl der Artikel.",
    "footnote_back": "Zurück zur Fußnote {n} im Text",
}

SPANISH: dict[str, Label] = {
    "site_title": "Noticias",
    "site_description": "Las últimas noticias y todos los artículos anteriores.",
    "skip_link": "Ir al contenido",
    "site_nav": "Sitio",
    "latest": "Lo último",
    "archive": "Archivo",
    "tags": "Etiquetas",
    "latest_news": "Últimas noticias",
    "feed": "Fuente RSS",
    "tag_feed": "Fuente RSS de «{tag}»",
    "earlier_news": "Noticias anteriores",
    "by": "Por",
    "reading_time": {"one": "{n} min de lectura", "other": "{n} min de lectura"},
    "related": "Artículos relacionados",
    "article_nav": "Artículo anterior y siguiente",
    "articles": {"one": "{n} artículo", "other": "{n} artículos"},
    "tag_count": {"one": "{n} etiqueta", "other": "{n} etiquetas"},
    "page": "Página {n}",
    "page_dates": "Página {n}: {dates}",
    "page_title": "{title}, página {n}",
    "nth_page": "página {n}",
    "date_range": "del {start} al {end}",
    "tagged": "Etiqueta «{tag}»",
    "months": "Meses",
    "days": "Días",
    "neighbours": "Archivos cercanos",
    "pages": "Páginas",
    "newest": "Lo más reciente",
    "first_page": "« Lo más reciente",
    "newer": "← Más recientes",
    "older": "Más antiguos →",
    "last_page": "Lo más antiguo »",
    "no_articles": "Todavía no hay artículos.",
    "most_used": "Las más usadas",
    "all_tags": "Todas las etiquetas, de la A a la Z",
    "no_tags": "Ningún artículo tiene etiquetas todavía.",
    "not_found": "Página no encontrada",
    "not_found_text": (
        "No hay ninguna página en esta dirección. Puede que se haya movido o que el enlace "
        "esté mal escrito."
    ),
    "not_found_links": "{home} o consulte el {archive}.",
    "not_found_home": "Ir a las últimas noticias",
    "not_found_archive": "archivo",
    "description_list": "{title}, {count}.",
    "description_tag": "Artículos con la etiqueta «{tag}»: {count}.",
    "description_archive": "Archivo: {title}, {count}.",
    "description_tags": "Todas las etiquetas de {site}, por uso y de la A a la Z.",
    "description_archive_index": "Todos los años y meses de {site}, con el número de artículos.",
    "footnote_back": "Volver a la nota {n} en el texto",
}

ITALIAN: dict[str, Label] = {
    "site_title": "Notizie",
    "site_description": "Le ultime notizie e tutti gli articoli precedenti.",
    "skip_link": "Vai al contenuto",
    "site_nav": "Sito",
    "latest": "Ultime",
    "archive": "Archivio",
    "tags": "Tag",
    "latest_news": "Ultime notizie",
    "feed": "Feed",
    "tag_feed": "Feed di «{tag}»",
    "earlier_news": "Notizie precedenti",
    "by": "Di",
    "reading_time": {"one": "{n} min di lettura", "other": "{n} min di lettura"},
    "related": "Articoli correlati",
    "article_nav": "Articolo precedente e successivo",
    "articles": {"one": "{n} articolo", "other": "{n} articoli"},
    "tag_count": {"one": "{n} tag", "other": "{n} tag"},
    "page": "Pagina {n}",
    "page_dates": "Pagina {n}: {dates}",
    "page_title": "{title}, pagina {n}",
    "nth_page": "pagina {n}",
    "date_range": "{start} – {end}",
    "tagged": "Tag «{tag}»",
    "months": "Mesi",
    "days": "Giorni",
    "neighbours": "Archivi vicini",
    "pages": "Pagine",
    "newest": "I più recenti",
    "first_page": "« I più recenti",
    "newer": "← Più recenti",
    "older": "Meno recenti →",
    "last_page": "I meno recenti »",
    "no_articles": "Ancora nessun articolo.",
    "most_used": "I più usati",
    "all_tags": "Tutti i tag, dalla A alla Z",
    "no_tags": "Nessun articolo ha ancora dei tag.",
    "not_found": "Pagina non trovata",
    "not_found_text": (
        "A questo indirizzo non c’è nessuna pagina. Potrebbe essere stata spostata, o il link "
        "potrebbe essere sbagliato."
    ),
    "not_found_links": "{home} o sfoglia l’{archive}.",
    "not_found_home": "Vai alle ultime notizie",
    "not_found_archive": "archivio",
    "description_list": "{title}, {count}.",
    "description_tag": "Articoli con il tag «{tag}»: {count}.",
    "description_archive": "Archivio: {title}, {count}.",
    "description_tags": "Tutti i tag di {site}, per frequenza e dalla A alla Z.",
    "description_archive_index": "Tutti gli anni e i mesi di {site}, con il numero di articoli.",
    "footnote_back": "Torna alla nota {n} nel testo",
}

PORTUGUESE: dict[str, Label] = {  # words that Portugal and Brazil both write
    "site_title": "Notícias",
    "site_description": "As últimas notícias e todos os artigos anteriores.",
    "skip_link": "Ir para o conteúdo",
    "site_nav": "Site",
    "latest": "Últimas",
    "archive": "Arquivo",
    "tags": "Etiquetas",
    "latest_news": "Últimas notícias",
    "feed": "Feed",
    "tag_feed": "Feed de “{tag}”",
    "earlier_news": "Notícias anteriores",
    "by": "Por",
    "reading_time": {"one": "{n} min de leitura", "other": "{n} min de leitura"},
    "related": "Artigos relacionados",
    "article_nav": "Artigo anterior e seguinte",
    "articles": {"one": "{n} artigo", "other": "{n} artigos"},
    "tag_count": {"one": "{n} etiqueta", "other": "{n} etiquetas"},
    "page": "Página {n}",
    "page_dates": "Página {n}: {dates}",
    "page_title": "{title}, página {n}",
    "nth_page": "página {n}",
    "date_range": "{start} a {end}",
    "tagged": "Etiqueta “{tag}”",
    "months": "Meses",
    "days": "Dias",
    "neighbours": "Arquivos vizinhos",
    "pages": "Páginas",
    "newest": "Mais recentes",
    "first_page": "« Mais recentes",
    "newer": "← Mais recentes",
    "older": "Mais antigos →",
    "last_page": "Mais antigos »",
    "no_articles": "Ainda não há artigos.",
    "most_used": "Mais usadas",
    "all_tags": "Todas as etiquetas, de A a Z",
    "no_tags": "Nenhum artigo tem etiquetas ainda.",
    "not_found": "Página não encontrada",
    "not_found_text": (
        "Não há nenhuma página neste endereço. Pode ter sido movida, ou o link pode estar errado."
    ),
    "not_found_links": "{home} ou consulte o {archive}.",
    "not_found_home": "Ir para as últimas notícias",
    "not_found_archive": "arquivo",
    "description_list": "{title}, {count}.",
    "description_tag": "Artigos com a etiqueta “{tag}”: {count}.",
    "description_archive": "Arquivo: {title}, {count}.",
    "description_tags": "Todas as etiquetas de {site}, por uso e de A a Z.",
    "description_archive_index": "Todos os anos e meses de {site}, com o número de artigos.",
    "footnote_back": "Voltar à nota {n} no texto",
}

DUTCH: dict[str, Label] = {
    "site_title": "Nieuws",
    "site_description": "Het laatste nieuws en alle artikelen daarvoor.",
    "skip_link": "Naar de inhoud",
    "site_nav": "Site",
    "latest": "Laatste",
    "archive": "Archief",
    "tags": "Tags",
    "latest_news": "Laatste nieuws",
    "feed": "Feed",
    "tag_feed": "Feed van ‘{tag}’",
    "earlier_news": "Eerder nieuws",
    "by": "Door",
    "reading_time": {"one": "{n} min. leestijd", "other": "{n} min. leestijd"},
    "related": "Gerelateerde artikelen",
    "article_nav": "Vorig en volgend artikel",
    "articles": {"one": "{n} artikel", "other": "{n} artikelen"},
    "tag_count": {"one": "{n} tag", "other": "{n} tags"},
    "page": "Pagina {n}",
    "page_dates": "Pagina {n}: {dates}",
    "page_title": "{title}, pagina {n}",
    "nth_page": "pagina {n}",
    "date_range": "{start} tot en met {end}",
    "tagged": "Tag ‘{tag}’",
    "months": "Maanden",
    "days": "Dagen",
    "neighbours": "Aangrenzende archieven",
    "pages": "Pagina’s",
    "newest": "Nieuwste",
    "first_page": "« Nieuwste",
    "newer": "← Nieuwer",
    "older": "Ouder →",
    "last_page": "Oudste »",
    "no_articles": "Nog geen artikelen.",
    "most_used": "Meest gebruikt",
    "all_tags": "Alle tags, van A tot Z",
    "no_tags": "Nog geen enkel artikel heeft tags.",
    "not_found": "Pagina niet gevonden",
    "not_found_text": (
        "Op dit adres staat geen pagina. Misschien is ze verplaatst, of is de link verkeerd getypt."
    ),
    "not_found_links": "{home} of blader door het {archive}.",
    "not_found_home": "Naar het laatste nieuws",
    "not_found_archive": "archief",
    "description_list": "{title}, {count}.",
    "description_tag": "Artikelen met de tag ‘{tag}’: {count}.",
    "description_archive": "Archief: {title}, {count}.",
    "description_tags": "Alle tags van {site}, op gebruik en van A tot Z.",
    "description_archive_index": "Alle jaren en maanden van {site}, met het aantal artikelen.",
    "footnote_back": "Terug naar voetnoot {n} in de tekst",
}

# Right to left: an arrow is not mirrored as brackets and guillemets are, so "←" and "→"
# change places (the newer article is on the right, at the line's start).
ARABIC: dict[str, Label] = {
    "site_title": "الأخبار",
    "site_description": "آخر الأخبار، وكل ما سبقها من مقالات.",
    "skip_link": "انتقل إلى المحتوى",
    "site_nav": "الموقع",
    "latest": "آخر الأخبار",
    "archive": "الأرشيف",
    "tags": "الوسوم",
    "latest_news": "آخر الأخبار",
    "feed": "خلاصة",
    "tag_feed": "خلاصة «{tag}»",
    "earlier_news": "أخبار سابقة",
    "by": "بقلم",
    "reading_time": {
        "zero": "وقت القراءة: {n} دقيقة",
        "one": "وقت القراءة: دقيقة واحدة",
        "two": "وقت القراءة: دقيقتان",
        "few": "وقت القراءة: {n} دقائق",
        "many": "وقت القراءة: {n} دقيقة",
        "other": "وقت القراءة: {n} دقيقة",
    },
    "related": "مقالات ذات صلة",
    "article_nav": "المقال السابق والمقال التالي",
    "articles": {
        "zero": "{n} مقال",
        "one": "مقال واحد",
        "two": "مقالان",
        "few": "{n} مقالات",
        "many": "{n} مقالًا",
        "other": "{n} مقال",
    },
    "tag_count": {
        "zero": "{n} وسم",
        "one": "وسم واحد",
        "two": "وسمان",
        "few": "{n} وسوم",
        "many": "{n} وسمًا",
        "other": "{n} وسم",
    },
    "page": "الصفحة {n}",
    "page_dates": "الصفحة {n}: {dates}",
    "page_title": "{title}، الصفحة {n}",
    "nth_page": "الصفحة {n}",
    "date_range": "من {start} إلى {end}",
    "tagged": "الوسم «{tag}»",
    "months": "الأشهر",
    "days": "الأيام",
    "neighbours": "الأرشيفات المجاورة",
    "pages": "الصفحات",
    "newest": "الأحدث",
    "first_page": "« الأحدث",
    "newer": "→ أحدث",
    "older": "أقدم ←",
    "last_page": "الأقدم »",
    "no_articles": "لا توجد مقالات بعد.",
    "most_used": "الأكثر استخدامًا",
    "all_tags": "كل الوسوم من الألف إلى الياء",
    "no_tags": "لا يحمل أي مقال وسومًا بعد.",
    "not_found": "الصفحة غير موجودة",
    "not_found_text": "لا توجد صفحة بهذا العنوان. ربما نُقلت، أو أن الرابط مكتوب خطأً.",
    "not_found_links": "{home} أو تصفح {archive}.",
    "not_found_home": "انتقل إلى آخر الأخبار",
    "not_found_archive": "الأرشيف",
    "description_list": "{title}، {count}.",
    "description_tag": "مقالات تحمل الوسم «{tag}»: {count}.",
    "description_archive": "الأرشيف: {title}، {count}.",
    "description_tags": "كل وسوم {site}، حسب الاستخدام ومن الألف إلى الياء.",
    "description_archive_index": "كل سنوات {site} وأشهره، مع عدد المقالات.",
    "footnote_back": "العودة إلى الحاشية {n} في النص",
}

RUSSIAN: dict[str, Label] = {
    "site_title": "Новости",
    "site_description": "Последние новости и все статьи до них.",
    "skip_link": "Перейти к содержанию",
    "site_nav": "Сайт",
    "latest": "Последние",
    "archive": "Архив",
    "tags": "Теги",
    "latest_news": "Последние новости",
    "feed": "Лента",
    "tag_feed": "Лента «{tag}»",
    "earlier_news": "Более ранние новости",
    "by": "Автор:",
    "reading_time": {"one": "{n} мин чтения", "other": "{n} мин чтения"},
    "related": "Читайте также",
    "article_nav": "Предыдущая и следующая статьи",
    "articles": {
        "one": "{n} статья",
        "few": "{n} статьи",
        "many": "{n} статей",
        "other": "{n} статьи",
    },
    "tag_count": {"one": "{n} тег", "few": "{n} тега", "many": "{n} тегов", "other": "{n} тега"},
    "page": "Страница {n}",
    "page_dates": "Страница {n}: {dates}",
    "page_title": "{title}, страница {n}",
    "nth_page": "страница {n}",
    "date_range": "с {start} по {end}",
    "tagged": "Тег «{tag}»",
    "months": "Месяцы",
    "days": "Дни",
    "neighbours": "Соседние архивы",
    "pages": "Страницы",
    "newest": "Самые новые",
    "first_page": "« Самые новые",
    "newer": "← Новее",
    "older": "Раньше →",
    "last_page": "Самые старые »",
    "no_articles": "Статей пока нет.",
    "most_used": "Самые частые",
    "all_tags": "Все теги от А до Я",
    "no_tags": "Ни у одной статьи пока нет тегов.",
    "not_found": "Страница не найдена",
    "not_found_text": (
        "По этому адресу страницы нет. Возможно, она перемещена или в ссылке опечатка."
    ),
    "not_found_links": "{home} или загляните в {archive}.",
    "not_found_home": "Перейдите к последним новостям",
    "not_found_archive": "архив",
    "description_list": "{title}, {count}.",
    "description_tag": "Статьи с тегом «{tag}»: {count}.",
    "description_archive": "Архив: {title}, {count}.",
    "description_tags": "Все теги сайта {site}: по частоте и от А до Я.",
    "description_archive_index": "Все годы и месяцы сайта {site} с числом статей.",
    "footnote_back": "Вернуться к сноске {n} в тексте",
}

TABLES: dict[str, dict[str, Label]] = {
    "en": ENGLISH,
    "fr": FRENCH,
    "de": GERMAN,
    "es": SPANISH,
    "it": ITALIAN,
    "pt": PORTUGUESE,
    "nl": DUTCH,
    "ar": ARABIC,
    "ru": RUSSIAN,
}

COUNTS = frozenset(key for key, label in ENGLISH.items() if not isinstance(label, str))
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _placeholders(label: Label) -> set[str]:
    texts = [label] if isinstance(label, str) else list(label.values())
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


# The fields each label may hold: those of its English text.
FIELDS: dict[str, frozenset[str]] = {
    key: frozenset(_placeholders(label)) for key, label in ENGLISH.items()
}


# Labels of earlier versions, which a config may still give: they are left out with a warning.
RETIRED = {
    "previous": "the article pager says labels.newer and labels.older, as the lists' pagers do",
    "next": "the article pager says labels.newer and labels.older, as the lists' pagers do",
}


def check_label(key: str, value: Any) -> Label:
    """A `labels:` entry as the config gives it, checked (ValueError with the reason): a known
    key; a text, or for a count a mapping of plural forms to texts; no field the label cannot
    fill ("{count}" where only "{n}" is known)."""
    if key not in ENGLISH:
        close = difflib.get_close_matches(key, list(ENGLISH), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ValueError(f"unknown label{hint}; the labels are listed in the README")
    if key in COUNTS and isinstance(value, dict):
        unknown = [form for form in value if form not in PLURAL_FORMS]
        if unknown:
            raise ValueError(
                f"unknown plural form {unknown[0]!r} (known: {', '.join(PLURAL_FORMS)})"
            )
        if not all(isinstance(text, str) for text in value.values()):
            raise ValueError("each plural form must be a text")
        if "other" not in value:
            raise ValueError("needs an 'other' form, used for every count without its own")
        label: Label = dict(value)
    elif isinstance(value, str):
        label = value
    elif key in COUNTS:
        raise ValueError(
            "must be a text, or a mapping of plural forms (one, few, many, other...) to texts"
        )
    else:
        raise ValueError("must be a text")
    extra = sorted(_placeholders(label) - FIELDS[key])
    if extra:
        known = ", ".join("{" + name + "}" for name in sorted(FIELDS[key])) or "none"
        raise ValueError(f"unknown field {{{extra[0]}}} (known: {known})")
    return label


@functools.cache
def babel_locale(language: str) -> Any:
    """Babel's locale for a language tag ("pt-BR"), or None for English (sitegen writes its
    own, unchanged) and for a tag CLDR does not know. Babel is imported only here: a site in
    English never loads it."""
    if primary_subtag(language) == "en":
        return None
    from babel import Locale, UnknownLocaleError

    for tag in (language, primary_subtag(language)):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return None


ARROWS_SWAPPED = str.maketrans("←→", "→←")


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


# CLDR's minimumGroupingDigits of 2: these write 1234 without a separator and group from 12.345
# on ("1000 artículos" in Spain, "10.000 artículos"). Babel (2.19) ignores that setting and
# wrote "1.000 artículos", "1 000 artykułów". The languages and regions are those whose four
# digits ICU 78 (CLDR 48, Node.js's `Intl.NumberFormat`) writes ungrouped; for Spanish and
# Portuguese the region decides: Latin America groups 1,234, Portugal and Africa's
# Portuguese-speaking countries, but for Angola, do not.
GROUPED_FROM_FIVE = _codes("be bg es et hu hy it ka lv pl sl sq")
SPANISH_GROUPING_FROM_FOUR = _codes(
    "419 AR BO BR BZ CL CO CR CU DO EC GT HN MX NI PA PE PR PY SV US UY VE"
)
PORTUGUESE_GROUPING_FROM_FIVE = _codes("CH CV GQ GW LU MO MZ PT ST TL")


def groups_from_five_digits(locale: Any) -> bool:
    """Whether a Babel locale leaves four-digit numbers ungrouped (`GROUPED_FROM_FIVE`)."""
    language, region = locale.language, locale.territory
    if language == "es":
        return region not in SPANISH_GROUPING_FROM_FOUR
    if language == "pt":
        return region in PORTUGUESE_GROUPING_FROM_FIVE
    return language in GROUPED_FROM_FIVE


class Words:
    """The site's words: labels, dates and month names in its language, each made once.

    A build of 10,000 articles writes a date 330,000 times over a few thousand days, and a
    count such as "24 articles" on every list page: each text is remembered by its date or
    count, as `render.long_date` remembers English dates."""

    def __init__(
        self, language: str, labels: Mapping[str, Label] | None = None, digits: str = ""
    ) -> None:
        self.language = language
        self.numbering = digits  # a numbering system of CLDR ("arab"), "" for Latin digits
        self.locale = babel_locale(language)
        table = dict(ENGLISH)
        if direction(language):  # right to left, in English words (Hebrew, Persian): arrows
            # are not mirrored as « » are, so "← Previous" pointed into the page
            table.update(
                (key, words.translate(ARROWS_SWAPPED))
                for key, words in ENGLISH.items()
                if isinstance(words, str) and ("←" in words or "→" in words)
            )
        table.update(TABLES.get(primary_subtag(language), {}))
        table.update(labels or {})
        self.table = table
        self._dates: dict[dt.date, str] = {}
        self._counts: dict[tuple[str, int], str] = {}
        self._months: dict[tuple[int, int], str] = {}
        self._numbers: dict[int, str] = {}
        # Digits of another system (`Config.digits`), for every number and date shown.
        self.digits = digit_table(digits)

    @functools.cached_property
    def fingerprint(self) -> str:
        """What the words are, for the compiled templates' cache: jinja2 folds a label of a
        constant key (`{{ "latest"|t }}`) into the code it compiles, so code compiled for
        other words is other code (a site switched to French kept "Skip to content")."""
        shown = repr((self.language, self.numbering, sorted(self.table.items(), key=repr)))
        return hashlib.sha256(shown.encode()).hexdigest()[:16]

    # --- labels ------------------------------------------------------------------------------

    def __call__(self, key: str, n: int | None = None, /, **fields: Any) -> str:
        """The `t` filter: `{{ "latest"|t }}`, `{{ "articles"|t(24) }}`, `{{ "tagged"|t(tag=name)
        }}`. Fields given as Markup (a link, a <time>) are kept; any other text is escaped, and
        the label with it."""
        if n is not None and not fields:
            try:
                return self._counts[key, n]
            except (KeyError, TypeError):
                pass
        label = self.label(key, n)
        if n is not None:
            label = label.replace("{n}", self.number(n))
        if not fields:
            if n is not None and type(n) is int:
                self._counts[key, n] = label
            return label
        if not any(isinstance(value, markupsafe.Markup) for value in fields.values()):
            return fill(label, fields)
        escaped = {name: markupsafe.escape(value) for name, value in fields.items()}
        return markupsafe.Markup(fill(str(markupsafe.escape(label)), escaped))

    def label(self, key: str, n: int | None = None) -> str:
        try:
            label = self.table[key]
        except KeyError:
            close = difflib.get_close_matches(key, list(self.table), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise UnknownLabel(f"unknown label {key!r}{hint}") from None
        if isinstance(label, str):
            return label
        form = self.plural_form(n if n is not None else 0)
        return label.get(form) or label["other"]

    def plural_form(self, n: int) -> str:
        """CLDR's plural category of `n` in the site's language; English's rule (one for 1,
        other for the rest) where Babel has none."""
        if self.locale is None:
            return "one" if n == 1 else "other"
        return str(self.locale.plural_form(n))

    def number(self, n: Any) -> str:
        """The `number` filter, and each `{n}` of a label: a count as the site's language
        writes it, "10,000 articles" ("10000 articles" was hard to read), "10 000 articles" in
        French, "10.000 Artikel" in German (CLDR's grouping, through Babel), "1000 artículos"
        in Spain (`groups_from_five_digits`). Anything but an int is shown as it is."""
        if type(n) is not int:
            return str(n)
        text = self._numbers.get(n)
        if text is None:
            text = self._numbers[n] = self.in_digits(self.grouped(n))
        return text

    def grouped(self, n: int) -> str:
        """`n` with the separators of the language and numbering system ("٢٬٠٢٤" in Arabic
        digits, whose thousands separator is its own), in ASCII digits."""
        if self.locale is None:
            return f"{n:,}"
        from babel.numbers import UnsupportedNumberingSystemError, format_decimal

        grouped = not (-10_000 < n < 10_000 and groups_from_five_digits(self.locale))
        if self.digits is not None:
            with contextlib.suppress(UnsupportedNumberingSystemError):
                return format_decimal(
                    n, locale=self.locale, numbering_system=self.numbering, group_separator=grouped
                )
        return format_decimal(n, locale=self.locale, group_separator=grouped)

    def in_digits(self, text: str) -> str:
        """`text` with its ASCII digits in those of the site's numbering system."""
        return text if self.digits is None else text.translate(self.digits)

    # --- dates -------------------------------------------------------------------------------

    def long_date(self, day: Any) -> str:
        """The `longdate` filter: "6 February 2026", "6 février 2026", "6. Februar 2026".
        Only a plain date is remembered: a datetime equals another in another time zone, on
        another day."""
        text = self._dates.get(day) if type(day) is dt.date else None
        if text is None:
            if self.locale is None:
                text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
            else:
                from babel.dates import format_date

                text = format_date(day, format="long", locale=self.locale)
            text = self.in_digits(text)
            if type(day) is dt.date:
                self._dates[day] = text
        return text

    def month_name(self, month: int) -> str:
        """A month as a heading names it ("February", "Février", "Февраль")."""
        if self.locale is None:
            return MONTHS[month - 1]
        return heading(str(self.locale.months["stand-alone"]["wide"][month]))

    def month_title(self, year: int, month: int) -> str:
        """A month archive's title: "February 2026", "février 2026", "febrero de 2026"."""
        key = (year, month)
        text = self._months.get(key)
        if text is None:
            if self.locale is None:
                text = f"{MONTHS[month - 1]} {year}"
            else:
                from babel.dates import format_skeleton

                text = heading(
                    format_skeleton("yMMMM", dt.date(year, month, 1), locale=self.locale)
                )
            self._months[key] = text = self.in_digits(text)
        return text

    def archive_title(self, key: tuple[int, ...]) -> str:
        if len(key) == 1:
            return self.in_digits(str(key[0]))  # a year: not grouped
        if len(key) == 2:
            return self.month_title(key[0], key[1])
        return self.long_date(dt.date(*key))


def heading(text: str) -> str:
    """A month's name as a title starts with a capital: CLDR writes "février 2026" and "май"
    as they stand in a sentence."""
    return text[:1].upper() + text[1:]


def fill(label: str, fields: Mapping[str, Any]) -> str:
    """`label` with each `{name}` of `fields` replaced, in one pass: a tag named "{count}"
    stays as it is. Not str.format: a label is the user's text, and "{n.__class__}" would
    read attributes."""
    return PLACEHOLDER.sub(lambda m: str(fields.get(m[1], m[0])), label)


class UnknownLabel(LookupError):
    """A template asked for a label that no table has (a typo of a site's template)."""


_WORDS: dict[tuple[str, str, str], Words] = {}


def words_for(language: str, labels: Mapping[str, Label] | None = None, digits: str = "") -> Words:
    """The one `Words` of a language, labels and digits in this process, so the model, the
    planner and the templates share what each has made."""
    key = (language, repr(labels or {}), digits)
    words = _WORDS.get(key)
    if words is None:
        words = _WORDS[key] = Words(language, labels, digits)
    return words
