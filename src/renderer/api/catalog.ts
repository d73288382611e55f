/** 办事指南 reads: windows, their items, search, one item's guide, 一件事 bundles; guide printing. */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { WindowCode } from '../../shared/browser.js';
import { trpc } from './client.js';

export const useWindows = () => useQuery(trpc.catalog.windows.queryOptions());

export const useWindowItems = (window: WindowCode) => useQuery(trpc.catalog.items.queryOptions({ window }));

/** Search results; while a new query runs, the last results stay (marked as placeholder data). */
export const useCatalogSearch = (query: string) =>
  useQuery({
    ...trpc.catalog.search.queryOptions({ query, limit: 50 }),
    enabled: query.trim() !== '',
    placeholderData: keepPreviousData,
  });

export const useServiceItem = (code: string, enabled = true) =>
  useQuery({ ...trpc.catalog.item.queryOptions({ code }), enabled });

export const useBundles = () => useQuery(trpc.catalog.bundles.queryOptions());

export const useBundle = (code: string, enabled = true) =>
  useQuery({ ...trpc.catalog.bundle.queryOptions({ code }), enabled });

/** 打印指南: the answer says printed or the printer's problem; a failed call is the mutation's error. */
export const useGuidePrint = () => useMutation(trpc.guide.print.mutationOptions());
