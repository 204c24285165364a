import * as client from "next-auth-v4/react";
import { mount } from "./harness.mjs";
mount("v4", client);
