"""LIX (läsbarhetsindex): words/sentences + 100 × long words (> 6 letters)/words."""

from __future__ import annotations

import pytest

from cms.readability import Lix, lix


@pytest.mark.parametrize(("text", "words", "sentences", "long_words", "score"), [
    # 7 words, 2 sentences, 1 long word (springer): 7/2 + 100·1/7 = 3.5 + 14.29 = 17.8
    ("Katten sitter på mattan. Hunden springer ute.", 7, 2, 1, 17.8),
    # 4 words, 1 sentence, 3 long words: 4/1 + 100·3/4 = 79.0
    ("Kommunfullmäktige beslutade om tillgänglighetsredogörelsen.", 4, 1, 3, 79.0),
    # 12 words, 3 sentences (. ! ?), no word over six letters (morgon, Kommer, bullar = 6):
    # 12/3 + 0 = 4.0
    ("Vi ses i morgon! Kommer du? Jag tar med kaffe och bullar.", 12, 3, 0, 4.0),
    # Numbers are not words; a hyphenated compound is one word, its hyphen not a letter:
    # Malmö stads MR-arbete pågår sedan | Alla förvaltningar deltar = 8 words, 2 sentences,
    # long: MR-arbete (8 letters), förvaltningar: 8/2 + 100·2/8 = 4 + 25 = 29.0
    ("Malmö stads MR-arbete pågår sedan 2019. Alla förvaltningar deltar.", 8, 2, 2, 29.0),
    # A text without a full stop is one sentence: 3/1 + 100·1/3 = 36.3
    ("Barnets bästa först", 3, 1, 1, 36.3),
])
def test_lix_of_known_texts(text, words, sentences, long_words, score):
    result = lix(text)
    assert result == Lix(score=score, words=words, sentences=sentences, long_words=long_words)


def test_lix_counts_words_of_html_without_tags():
    result = lix("<p>Katten sitter <strong>på</strong> mattan. Hunden springer ute.</p>")
    assert (result.words, result.sentences, result.long_words, result.score) == (7, 2, 1, 17.8)


def test_lix_counts_each_html_paragraph_end_as_a_sentence_end():
    result = lix("<p>Katten sitter på mattan.</p><p>Hunden springer ute.</p>")
    assert (result.sentences, result.score) == (2, 17.8)


@pytest.mark.parametrize("text", ["", None, "   ", "<p></p>", "2019. 2020!", "— … ."])
def test_lix_without_words_is_none(text):
    assert lix(text) is None


@pytest.mark.parametrize(("score", "band"), [
    (25, "Mycket lättläst, som barnböcker"),
    (35, "Lättläst, som skönlitteratur och populärtidningar"),
    (45, "Medelsvår, som vanlig tidningstext"),
    (55, "Svår, som normal text i myndighetsbrev"),
    (65, "Mycket svår, som byråkratisk svenska"),
    # band limits: a score of exactly 30, 40, 50, 60 belongs to the harder band
    (29.9, "Mycket lättläst, som barnböcker"),
    (30, "Lättläst, som skönlitteratur och populärtidningar"),
    (40, "Medelsvår, som vanlig tidningstext"),
    (50, "Svår, som normal text i myndighetsbrev"),
    (60, "Mycket svår, som byråkratisk svenska"),
    (250, "Mycket svår, som byråkratisk svenska"),
])
def test_band_labels(score, band):
    assert Lix(score=score, words=1, sentences=1, long_words=0).band == band


def test_band_of_a_computed_score():
    assert lix("Kommunfullmäktige beslutade om tillgänglighetsredogörelsen.").band == (
        "Mycket svår, som byråkratisk svenska"
    )
    assert lix("Katten sitter på mattan. Hunden springer ute.").band == (
        "Mycket lättläst, som barnböcker"
    )


@pytest.mark.django_db
def test_page_lix_counts_paragraphs_of_rich_text_fields():
    from cms.text import page_body_text

    from .factories import GoodExamplePageFactory

    page = GoodExamplePageFactory(
        summary="Katten sitter på mattan.",
        background="<p>Katten sitter på mattan.</p><p>Hunden springer ute.</p>",
    )
    # 4 + 7 = 11 words, 3 sentences, 1 long word: 11/3 + 100·1/11 = 3.67 + 9.09 = 12.8
    result = lix(page_body_text(page))
    assert (result.words, result.sentences, result.long_words, result.score) == (11, 3, 1, 12.8)
