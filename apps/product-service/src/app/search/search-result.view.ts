import { ApiProperty } from '@nestjs/swagger';
import { ProductView } from '../catalog/product.view';
import { LOW_STOCK } from '../stock/search-visible-stock';

/** one hit: the product as the index holds it, its relevance, and the matching fragments */
export class SearchHitView extends ProductView {
  @ApiProperty({
    type: Number,
    description: `Exact at or below ${LOW_STOCK}. Above that, orders do not re-index the product, so this is the stock of its last catalog change or of the last time it went over ${LOW_STOCK}: more than ${LOW_STOCK} are available. GET /api/products/{id} has the exact figure`,
  })
  override stock = 0; // the initializer only satisfies the compiler: views are plain objects, never made with new

  @ApiProperty({ description: "Elasticsearch's relevance score; hits come highest first" })
  score!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { name: ['<em>green</em> tea'] },
    description:
      'Per matched field (name, description), fragments with the matched words in <em>; the rest of the text is HTML-escaped',
  })
  highlights!: Record<string, string[]>;
}

class CategoryCountView {
  @ApiProperty({ example: 'tea' }) value!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) count!: number;
}

class SearchFacetsView {
  @ApiProperty({ type: [CategoryCountView], description: 'How many hits each category has, over all pages' })
  category!: CategoryCountView[];
}

/** a page of hits with the facets of all of them */
export class SearchResultView {
  @ApiProperty({ type: [SearchHitView] }) items!: SearchHitView[];
  @ApiProperty({ type: 'integer', minimum: 1 }) page!: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) limit!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Hits in all, not only on this page' }) total!: number;
  @ApiProperty({ type: SearchFacetsView }) facets!: SearchFacetsView;
}
