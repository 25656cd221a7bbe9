package io.eventy.readme.tracing;

/**
 * What the README's stock service answers.
 *
 * @param sku the article
 * @param available how many are in stock
 */
record Stock(String sku, int available) {

}
