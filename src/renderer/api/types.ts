/**
 * The API's shapes as the screens see them, all derived from the router's types (never copied by
 * hand), so a backend change shows up here at compile time.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../backend/index.js';

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type SystemStatusOut = RouterOutputs['system']['status'];
export type WindowOut = RouterOutputs['catalog']['windows'][number];
export type ItemSummaryOut = RouterOutputs['catalog']['items'][number];
export type ServiceItemOut = RouterOutputs['catalog']['item'];
export type BundleOut = RouterOutputs['catalog']['bundles'][number];
export type BundleDetailOut = RouterOutputs['catalog']['bundle'];
export type TechOverviewOut = RouterOutputs['tech']['overview'];
export type TechLoginOut = RouterOutputs['tech']['login'];
export type TechPreviewOut = RouterOutputs['tech']['previews'][number];
export type SimStateOut = RouterOutputs['sim']['state'];
export type SimFaultKind = NonNullable<RouterInputs['sim']['idcardFault']['kind']>;
export type SimPrinterStatus = RouterInputs['sim']['setPrinterStatus']['status'];
export type SimAdfState = NonNullable<RouterInputs['sim']['scanner']['adfState']>;
