import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/api-key.guard';
import { ApiErrors, ApiJsonResponse } from '../transport/openapi';
import { accountListJson, toAccountJson, type AccountListJson } from './account.json';
import { AccountsService } from './accounts.service';

/**
 * The accounts an operator can pick from (the console's account picker). Not paged: accounts are
 * created one at a time by the accounts CLI, so the list stays small.
 */
@ApiTags('admin')
@Authenticated('operator')
@Controller('v1/admin/accounts')
export class AdminAccountsHttpController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Every account with its name (operators), oldest first' })
  @ApiJsonResponse(200, accountListJson, 'All accounts.')
  @ApiErrors()
  async list(): Promise<AccountListJson> {
    return { data: (await this.accounts.listAccounts()).map(toAccountJson) };
  }
}
