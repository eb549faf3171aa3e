import { createColumnHelper, tableFeatures, type RowData } from "@tanstack/react-table";

/**
 * How a column lays out: `className` goes on its header and every cell (width, alignment,
 * `whitespace-nowrap`), so a page's columns file fixes widths that fit 1280 px.
 */
export interface ColumnLayout {
  className?: string;
}

/** The kit's TanStack v9 feature set: core only (sorting and paging are server-side, in the URL). */
export const features = tableFeatures({ columnMeta: {} as ColumnLayout });
export type KitFeatures = typeof features;

/** A typed column helper for one page's rows. */
export function columnHelper<T extends RowData>() {
  return createColumnHelper<KitFeatures, T>();
}
