/**
 * The model list's URL state (nuqs server parsers): status, task and domain filters. A value
 * that does not parse is dropped (the form then shows it unset).
 */
import { createLoader, createSerializer, parseAsStringLiteral } from "nuqs/server";
import { CARD_STATUSES, TASKS } from "@/lib/model-cards/card";
import { parseAsMatching as matching } from "@/lib/url-parsers";

export const modelListParsers = {
  status: parseAsStringLiteral(CARD_STATUSES),
  task: parseAsStringLiteral(TASKS),
  domain: matching(/^.{1,80}$/),
};

export const loadModelListFilter = createLoader(modelListParsers);
export const modelListHref = createSerializer(modelListParsers);
export const MODELS_PATH = "/models";
